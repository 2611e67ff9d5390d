import Hummingbird

/// The per-request context of the Hummingbird path: Hummingbird's core storage only (the
/// proxy, which needed the peer's address, runs in the channel).
public struct ConnectRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

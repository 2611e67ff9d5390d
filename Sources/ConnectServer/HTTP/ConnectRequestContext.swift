import Hummingbird
import NIOCore

/// The per-request context of the Hummingbird path: Hummingbird's core storage and the
/// peer's address for the access log (the proxy, which needs the peer for its rate limit
/// and `X-Forwarded-For`, runs in the channel).
public struct ConnectRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

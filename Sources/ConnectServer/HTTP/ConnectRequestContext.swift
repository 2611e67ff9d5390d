import Hummingbird
import Logging
import NIOCore

/// The per-request context: Hummingbird's core storage plus the connection, from which
/// the proxy reads the peer's address (only when it needs it: the lookup takes a lock).
public struct ConnectRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The TCP peer's IP address, nil when there is none (in-process tests).
    var peerAddress: String? { channel.remoteAddress?.ipAddress }
}

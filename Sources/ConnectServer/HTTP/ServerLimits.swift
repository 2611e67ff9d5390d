import NIOCore
import NIOHTTP1

/// The time and size limits every client connection lives within, as nginx has them
/// (`client_header_timeout`, `client_body_timeout`, `keepalive_timeout`, `send_timeout`,
/// `large_client_header_buffers`, `worker_connections`). A peer that sends too slowly,
/// too much, or reads nothing cannot hold the server's memory or descriptors.
public struct ServerLimits: Sendable, Equatable {
    /// A request head must arrive whole within this time of its first byte (and a new
    /// connection must send one within it).
    public var headerTimeout: TimeAmount = .seconds(15)
    /// The longest pause between two reads of a request body.
    public var bodyTimeout: TimeAmount = .seconds(30)
    /// How long a kept-alive connection may wait for its next request.
    public var idleTimeout: TimeAmount = .seconds(60)
    /// How long an answer may wait for a client that does not read it.
    public var sendTimeout: TimeAmount = .seconds(60)
    /// The most header lines in one request (NIO's default is 65,534).
    public var maxHeaderCount = 100
    /// The most bytes of one request head: request line and headers.
    public var maxHeaderBytes = 32 * 1024
    /// Pipelined requests read ahead of the one being answered; reading stops past this.
    public var maxQueuedRequests = 16
    /// Requests one connection may start in one turn of its event loop; the rest wait for
    /// the next turn, so that a burst of pipelined requests cannot starve the other
    /// connections of the same thread.
    public var maxStartsPerTurn = 16
    /// Body bytes of those requests held meanwhile; reading stops past this.
    public var maxQueuedBodyBytes = 256 * 1024
    /// A body still coming after its answer is read and dropped up to this size, so the
    /// connection can carry the next request; a larger one closes the connection.
    public var discardLimit = 1024 * 1024
    /// The most raw bytes one request body may take on the wire (chunk framing and
    /// extensions included), whoever reads it.
    public var maxBodyWireBytes = 2 * 1024 * 1024
    /// Open client connections; past it, new ones wait in the listen backlog.
    public var maxConnections = 4096

    public init() {}

    /// NIO's decoder held to the same header limits, so that it refuses an oversized head
    /// before building it.
    var decoderLimits: NIOHTTPDecoderLimitConfiguration {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldCount = maxHeaderCount
        limits.maxHeaderListSize = maxHeaderBytes
        limits.maxHeaderFieldSize = maxHeaderBytes
        return limits
    }
}

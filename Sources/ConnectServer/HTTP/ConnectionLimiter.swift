import NIOCore
import Synchronization

/// Counts the open client connections of the server. Past `--max-connections` a new
/// connection is told `503 Service Unavailable` with `Retry-After` and closed at once, so
/// the process never runs out of descriptors (where accepting stops for everyone) and a
/// client learns at once why it was turned away. Idle and slow connections make room by
/// their timeouts (``ServerLimits``).
final class ConnectionLimiter: Sendable {
    let maximum: Int
    private let open = Atomic<Int>(0)

    init(maximum: Int) { self.maximum = maximum }

    /// The connections open now.
    var count: Int { open.load(ordering: .relaxed) }

    /// Takes a place for `channel`, given back when it closes; false when the server is full.
    func admit(_ channel: any Channel) -> Bool {
        let now = open.wrappingAdd(1, ordering: .relaxed).newValue
        channel.closeFuture.whenComplete { _ in self.open.wrappingSubtract(1, ordering: .relaxed) }
        return now <= maximum
    }

    /// The only handler of a connection over the limit: sends the refusal, shuts the
    /// output, and drops what the client sends until it closes (for a second at most), so
    /// that its unread request does not turn the close into a reset that eats the 503.
    final class Refuser: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        private let refusal: ByteBuffer

        init(_ refusal: ByteBuffer) { self.refusal = refusal }

        func handlerAdded(context: ChannelHandlerContext) {
            context.writeAndFlush(NIOAny(refusal)).assumeIsolated().whenComplete { _ in
                context.close(mode: .output, promise: nil)
            }
            context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) { context.close(promise: nil) }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case ChannelEvent.inputClosed = event { context.close(promise: nil) }
        }
    }

    /// What a connection over the limit is sent before it is closed.
    static func refusal(security: SecurityHeaders) -> ByteBuffer {
        let answer = ErrorAnswer.plain(.serviceUnavailable, headers: [("Retry-After", "1"), ("Connection", "close")])
        var text = "HTTP/1.1 503 Service Unavailable\r\n"
        for (name, value) in answer.headerPairs(security: security, requestID: nil) { text += "\(name): \(value)\r\n" }
        var buffer = ByteBuffer(string: text + "\r\n")
        var body = answer.body
        buffer.writeBuffer(&body)
        return buffer
    }
}

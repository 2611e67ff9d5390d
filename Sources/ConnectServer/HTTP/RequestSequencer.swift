import NIOCore
import NIOHTTP1

/// Hands the handlers behind it one request at a time: a pipelined request waits until the
/// answer to the one before has ended, so answers leave in the order asked whichever
/// handler gives them (``SiteFastPath`` at once, ``ConnectForwarder`` later, Hummingbird
/// in a task). It also closes the connection after the answer to a request that did not
/// ask to keep it (`Connection: close`, or HTTP/1.0 without `keep-alive`), and on graceful
/// shutdown once the answer in progress has ended.
///
/// Why not NIO's `HTTPServerPipelineHandler`: it stops reading the socket while an answer
/// is pending, which cost two `epoll_ctl` calls per proxied request. This one only queues
/// what was already read, and holds reads only when that queue grows long.
final class RequestSequencer: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Parts queued before reading stops.
    static let queueLimit = 64

    /// A request went on whose answer has not ended.
    private var answering = false
    /// Close once the current answer ends.
    private var closeAfterAnswer = false
    /// Parts of requests that arrived while one was being answered.
    private var queue = CircularBuffer<HTTPServerRequestPart>()
    private var readHeld = false
    private var draining = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if !queue.isEmpty || (answering && Self.isHead(part)) {
            queue.append(part)
            return
        }
        deliver(part, context: context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where closeAfterAnswer && !head.headers.contains(name: "connection"):
            // The client learns that this is the last answer on the connection.
            head.headers.add(name: "Connection", value: "close")
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .head, .body:
            context.write(data, promise: promise)
        case .end:
            answering = false
            guard closeAfterAnswer else {
                context.write(data, promise: promise)
                drain(context: context)
                return
            }
            // Close once the answer has left: closing at once would drop what the socket
            // has not taken yet (a large file, a slow client).
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(data, promise: written)
            written.futureResult.assumeIsolated().whenComplete { result in
                promise?.completeWith(result)
                context.close(promise: nil)
            }
        }
    }

    func read(context: ChannelHandlerContext) {
        if queue.count >= Self.queueLimit {
            readHeld = true
        } else {
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        // Graceful shutdown: finish the answer in progress, take no new request.
        queue.removeAll()
        if answering { closeAfterAnswer = true } else { context.close(promise: nil) }
    }
}

private extension RequestSequencer {
    static func isHead(_ part: HTTPServerRequestPart) -> Bool {
        if case .head = part { return true }
        return false
    }

    func deliver(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        if case .head(let head) = part {
            answering = true
            closeAfterAnswer = !head.isKeepAlive
        }
        context.fireChannelRead(wrapInboundOut(part))
    }

    /// Delivers queued parts up to the next request that must wait. An answer given during
    /// delivery (the fast path answers at once) calls back here; the loop goes on instead.
    func drain(context: ChannelHandlerContext) {
        guard !draining else { return }
        draining = true
        defer { draining = false }
        var delivered = false
        while let next = queue.first, !(answering && Self.isHead(next)) {
            deliver(queue.removeFirst(), context: context)
            delivered = true
        }
        // The handlers behind flush at the end of a read; these parts came from the queue.
        if delivered { context.fireChannelReadComplete() }
        if readHeld, queue.count < Self.queueLimit {
            readHeld = false
            context.read()
        }
    }
}

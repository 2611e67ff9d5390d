import NIOCore
import NIOHTTP1

/// Receives one upstream answer, part by part, on the event loop of the client's connection.
protocol UpstreamListener: AnyObject {
    func upstreamReceived(_ part: HTTPClientResponsePart)
    func upstreamReadComplete()
    /// The connection failed or closed before the answer's end.
    func upstreamFailed(_ error: any Error)
}

/// The last handler of an upstream connection: hands what arrives to the call using the
/// connection now, and decides, once the read that ended an answer is over, whether the
/// connection is fit to carry another call. It is not when anything came after the end
/// (more bytes, a second answer, an error), or when the read did not end where the answer
/// did (``UpstreamFraming/endsCleanly(read:lastBody:)``). A connection waiting in the pool
/// is closed by the first byte it receives, as nginx closes an idle upstream connection on
/// any read event.
final class UpstreamConnection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    private enum State {
        /// In the pool, or not yet lent: any byte closes it.
        case idle
        /// A call is reading its answer.
        case answering
        /// The answer ended in this read; what to do once the read is over.
        case ended(keepAlive: Bool, settle: (Bool) -> Void)
        /// Unfit for reuse.
        case spoiled
    }

    /// The call the connection serves; nil while it waits in the pool.
    weak var listener: (any UpstreamListener)?
    private var state = State.idle
    private var lastRead = ByteBuffer()
    private var lastBody: ByteBuffer?
    private var chunked = false
    private weak var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    /// A call takes the connection.
    func lend(to listener: any UpstreamListener) {
        self.listener = listener
        state = .answering
    }

    /// The call is done with the connection: `settle` learns, once the current read is
    /// over, whether it may be used again.
    func release(keepAlive: Bool, settle: @escaping (Bool) -> Void) {
        listener = nil
        if case .answering = state {
            state = .ended(keepAlive: keepAlive, settle: settle)
        } else {
            settle(false)
        }
    }

    /// A raw read, before the decoder (``UpstreamReadWatch``).
    func bytesArrived(_ buffer: ByteBuffer) {
        switch state {
        case .idle:
            state = .spoiled
            context?.close(promise: nil)
        case .ended:
            spoil()
        case .answering:
            lastRead = buffer
            lastBody = nil
        case .spoiled:
            break
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        guard case .answering = state else {
            spoil()
            return
        }
        switch part {
        case .head(let head):
            chunked = head.headers.contains { $0.name.utf8.count == 17 && $0.name[...].equalsLowercased("transfer-encoding") }
        case .body(let chunk):
            lastBody = chunk
        case .end:
            break
        }
        listener?.upstreamReceived(part)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if case .ended(let keepAlive, let settle) = state {
            let clean = keepAlive && UpstreamFraming.endsCleanly(read: lastRead, lastBody: chunked ? nil : lastBody)
            state = clean ? .idle : .spoiled
            lastRead = ByteBuffer()
            lastBody = nil
            settle(clean)
        }
        listener?.upstreamReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let listener = self.listener
        self.listener = nil
        spoil()
        listener?.upstreamFailed(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let listener = self.listener
        self.listener = nil
        spoil()
        listener?.upstreamFailed(UpstreamError.closedEarly)
        context.fireChannelInactive()
    }

    /// Unfit for reuse; a release waiting for the end of the read learns it now.
    private func spoil() {
        let previous = state
        state = .spoiled
        if case .ended(_, let settle) = previous { settle(false) }
    }
}

/// Before the upstream's HTTP/1 decoder: shows ``UpstreamConnection`` every raw read.
final class UpstreamReadWatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let connection: UpstreamConnection

    init(_ connection: UpstreamConnection) { self.connection = connection }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        connection.bytesArrived(unwrapInboundIn(data))
        context.fireChannelRead(data)
    }
}

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
/// connection now, and tells it when the connection breaks.
final class UpstreamConnection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    /// The call the connection serves; nil while it waits in the pool.
    weak var listener: (any UpstreamListener)?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        listener?.upstreamReceived(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        listener?.upstreamReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let listener = self.listener
        self.listener = nil
        listener?.upstreamFailed(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let listener = self.listener
        self.listener = nil
        listener?.upstreamFailed(UpstreamError.closedEarly)
        context.fireChannelInactive()
    }
}

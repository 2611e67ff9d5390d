import NIOCore

/// Sits before NIO's HTTP/1 decoder and tells the ``RequestSequencer`` how many bytes each
/// read carried, once the decoder has taken them. The decoder says nothing of bytes that
/// complete no message yet (half a header line, chunk extensions), and the sequencer needs
/// them to time a slow head and to bound what one request may make the server read.
final class ReadMeter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// A read of this many bytes went through the decoder.
    struct BytesRead { let count: Int }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let count = unwrapInboundIn(data).readableBytes
        context.fireChannelRead(data)
        context.fireUserInboundEventTriggered(BytesRead(count: count))
    }
}

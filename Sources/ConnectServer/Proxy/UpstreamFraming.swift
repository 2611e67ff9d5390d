import NIOCore
import NIOHTTP1

/// The framing rules an upstream answer must keep before it reaches the client, and before
/// its connection may carry another client's call. NIO's decoder decides where a message
/// ends; these rules decide what to make of what the upstream sent around it.
enum UpstreamFraming {
    /// What the proxy does with an upstream answer's head.
    enum HeadVerdict: Equatable {
        /// Pass it on; `hasBody` is false for 204 and 304, which never carry one.
        case forward(hasBody: Bool)
        /// A 1xx the client never asked for (101 Switching Protocols among them): the
        /// client gets 502 and the connection is closed.
        case refuse
    }

    static func judge(_ head: HTTPResponseHead) -> HeadVerdict {
        let code = head.status.code
        if code < 200 { return .refuse }
        return .forward(hasBody: code != 204 && code != 304)
    }

    /// Whether the read that carried an answer's end ended where the answer did, so that no
    /// byte of it is left for the next call: it must end with the answer's last body bytes,
    /// or, for an answer without a body in that read or a chunked one, with the blank line
    /// that ends a head or a chunked body. Bytes that would form a whole message make NIO's
    /// decoder fail (an answer nobody asked for); this catches the part of one.
    /// - Parameters:
    ///   - read: The last read of the connection, as it came from the socket.
    ///   - lastBody: The answer's body bytes that came in that read, for a length-framed answer.
    static func endsCleanly(read: ByteBuffer, lastBody: ByteBuffer?) -> Bool {
        let bytes = read.readableBytesView
        if let tail = lastBody, tail.readableBytes > 0 {
            guard bytes.count >= tail.readableBytes else { return false }
            return bytes.suffix(tail.readableBytes).elementsEqual(tail.readableBytesView)
        }
        return bytes.count >= 4 && bytes.suffix(4).elementsEqual([0x0D, 0x0A, 0x0D, 0x0A])
    }
}

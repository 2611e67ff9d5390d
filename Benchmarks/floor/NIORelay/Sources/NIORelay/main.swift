// The proxy floor on swift-nio: the relay of ../relay.c, as directly as NIO allows.
//
//     swift build -c release && .build/release/NIORelay LISTEN_PORT UPSTREAM_PORT [--raw]
//
// A measuring instrument, not product code. One event loop per core, each with its own
// SO_REUSEPORT listener and its own pool of kept-alive upstream connections; one request at
// a time per client connection; the whole request is gathered, then sent in one write.
//
// Default: NIO's `HTTPRequestDecoder` and `HTTPResponseDecoder` decide where each message
// ends. The request head is re-encoded from the decoded `HTTPRequestHead` into a buffer
// the connection reuses (`Host` rewritten, `X-Forwarded-For` added); the upstream's answer
// is forwarded as the bytes read, the decoder only telling where it ends. `--raw`: no
// NIOHTTP1 at all; the head is found by a scan for CRLFCRLF and `Content-Length` (no
// chunked), and the client's header bytes are copied with only the Host line replaced,
// as relay.c does. The hot path has no futures: a pooled connection is taken and given
// back synchronously, on the loop that owns both ends.
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 3, let listenPort = Int(arguments[1]), let upstreamPort = Int(arguments[2]) else {
    print("usage: NIORelay LISTEN_PORT UPSTREAM_PORT [--raw]")
    exit(2)
}
let raw = arguments.contains("--raw")
let upstreamAddress = try SocketAddress(ipAddress: "127.0.0.1", port: upstreamPort)
let hostLine = "Host: 127.0.0.1:\(upstreamPort)\r\n"

// MARK: - Upstream side

/// Whoever is using an upstream connection: learns of its answer's bytes and its end.
protocol UpstreamUser: AnyObject {
    func upstreamReady(_ upstream: Upstream)
    func upstreamBytes(_ buffer: ByteBuffer)
    func upstreamEnded()
    func upstreamFailed()
}

/// The kept-alive upstream connections of one event loop; used only on that loop.
final class UpstreamPool: @unchecked Sendable {
    let eventLoop: any EventLoop
    var idle: [Upstream] = []

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        idle.reserveCapacity(64)
    }

    /// A pooled connection for `user`, or nil: then `connect(for:)`.
    func take(for user: any UpstreamUser) -> Upstream? {
        guard let upstream = idle.popLast() else { return nil }
        upstream.user = user
        return upstream
    }

    /// A new connection, handed to `user.upstreamReady` once open (the only future here).
    func connect(for user: any UpstreamUser) {
        let pool = self
        ClientBootstrap(group: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upstream = Upstream(pool: pool)
                    try channel.pipeline.syncOperations.addHandler(upstream)
                    if !raw {
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes)))
                        try channel.pipeline.syncOperations.addHandler(UpstreamTail(upstream))
                    }
                }
            }
            .connect(to: upstreamAddress)
            .assumeIsolated()
            .whenComplete { result in
                guard case .success(let channel) = result,
                      let upstream = try? channel.pipeline.syncOperations.handler(type: Upstream.self) else {
                    user.upstreamFailed()
                    return
                }
                upstream.user = user
                user.upstreamReady(upstream)
            }
    }

    func giveBack(_ upstream: Upstream) {
        upstream.user = nil
        if idle.count < 64 { idle.append(upstream) } else { upstream.context?.close(promise: nil) }
    }

    func forget(_ upstream: Upstream) {
        if let index = idle.firstIndex(where: { $0 === upstream }) { idle.remove(at: index) }
    }
}

/// The head of an upstream connection's pipeline: writes go out from here, and every read
/// goes to the user as it came. In `--raw` mode it also finds the answer's end itself.
final class Upstream: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = HTTPClientRequestPart  // from the decoder, which watches the heads go by
    typealias OutboundOut = ByteBuffer

    let pool: UpstreamPool
    var user: (any UpstreamUser)?
    var context: ChannelHandlerContext?
    /// The context after the response decoder: requests are written from there.
    var tail: ChannelHandlerContext?
    private var remaining = -1  // --raw: bytes of the answer still to come; -1 before its head
    private var headStash = ByteBuffer()  // --raw: a head split over reads

    init(pool: UpstreamPool) { self.pool = pool }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    /// Sends a request. Default mode: the head goes past the response decoder (which must
    /// see it), and is dropped here; the bytes follow.
    func send(_ head: HTTPRequestHead?, _ bytes: ByteBuffer) {
        remaining = -1
        if let head, let tail {
            tail.write(NIOAny(HTTPClientRequestPart.head(head)), promise: nil)
            tail.writeAndFlush(NIOAny(HTTPClientRequestPart.body(.byteBuffer(bytes))), promise: nil)
        } else {
            context?.writeAndFlush(NIOAny(bytes), promise: nil)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .body(.byteBuffer(let bytes)) = unwrapOutboundIn(data) {
            context.write(wrapOutboundOut(bytes), promise: promise)
        } else {
            promise?.succeed(())
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let user else {  // bytes while pooled: not fit for another call
            pool.forget(self)
            context.close(promise: nil)
            return
        }
        user.upstreamBytes(buffer)
        if !raw {
            context.fireChannelRead(data)
            return
        }
        if remaining < 0 {
            var head = buffer
            if headStash.readableBytes > 0 {
                headStash.writeImmutableBuffer(buffer)
                head = headStash
            }
            let length = head.withUnsafeReadableBytes { HeadScan.messageLength($0, needLength: true) }
            guard let length else {
                if headStash.readableBytes == 0 { headStash.writeImmutableBuffer(buffer) }
                return
            }
            headStash.clear()
            remaining = length - head.readableBytes
        } else {
            remaining -= buffer.readableBytes
        }
        if remaining == 0 {
            answerEnded()
        } else if remaining < 0 || remaining > 1 << 24 {  // more than the answer, or no length
            failed(context)
        }
    }

    func answerEnded() {
        let user = self.user
        pool.giveBack(self)
        user?.upstreamEnded()
    }

    func failed(_ context: ChannelHandlerContext) {
        let user = self.user
        self.user = nil
        pool.forget(self)
        context.close(promise: nil)
        user?.upstreamFailed()
    }

    func channelInactive(context: ChannelHandlerContext) {
        failed(context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failed(context)
    }
}

/// After the response decoder: it says where the answer ends.
final class UpstreamTail: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    unowned let upstream: Upstream

    init(_ upstream: Upstream) { self.upstream = upstream }

    func handlerAdded(context: ChannelHandlerContext) { upstream.tail = context }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) { upstream.answerEnded() }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let head = upstream.context { upstream.failed(head) }
    }
}

// MARK: - Client side

/// Shared by both modes: one call at a time, a reused buffer for the request it sends.
class ClientRelay: UpstreamUser {
    let pool: UpstreamPool
    var context: ChannelHandlerContext?
    var upstream: Upstream?
    var busy = false
    var scratch = ByteBuffer()
    var forwardedFor = ""

    init(pool: UpstreamPool) { self.pool = pool }

    func start(_ context: ChannelHandlerContext) {
        self.context = context
        scratch = context.channel.allocator.buffer(capacity: 2048)
        forwardedFor = "X-Forwarded-For: \(context.channel.remoteAddress?.ipAddress ?? "unknown")\r\n\r\n"
    }

    private var head: HTTPRequestHead?

    /// `scratch` holds the request to send (and `head` its decoded head, by default).
    func sendScratch(_ head: HTTPRequestHead?) {
        busy = true
        self.head = head
        if let upstream = pool.take(for: self) { upstreamReady(upstream) } else { pool.connect(for: self) }
    }

    func upstreamReady(_ upstream: Upstream) {
        guard context != nil else {  // the client left while a connection opened
            pool.giveBack(upstream)
            return
        }
        self.upstream = upstream
        upstream.send(head, scratch)
        head = nil
        scratch.clear()  // written and flushed already: no copy, no allocation
    }

    func upstreamBytes(_ buffer: ByteBuffer) { context?.write(NIOAny(buffer), promise: nil) }

    func upstreamEnded() {
        upstream = nil
        busy = false
        context?.flush()
        nextRequest()
    }

    func upstreamFailed() {
        upstream = nil
        context?.close(promise: nil)
    }

    func clientGone() {
        context = nil
        if let upstream {  // its answer would reach nobody
            self.upstream = nil
            upstream.user = nil
            pool.forget(upstream)
            upstream.context?.close(promise: nil)
        }
    }

    func nextRequest() {}
}

/// Default mode: after NIO's request decoder.
final class DecodedRelay: ClientRelay, ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    private var head: HTTPRequestHead?
    private var waiting: [HTTPServerRequestPart] = []  // a pipelined request, until the answer's end

    func handlerAdded(context: ChannelHandlerContext) { start(context) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if busy || !waiting.isEmpty {
            waiting.append(part)
        } else {
            take(part)
        }
    }

    private func take(_ part: HTTPServerRequestPart) {
        switch part {
        case .head(let head):
            self.head = head
            scratch.writeString(head.method.rawValue)
            scratch.writeInteger(UInt8(ascii: " "))
            scratch.writeString(head.uri)
            scratch.writeStaticString(" HTTP/1.1\r\n")
            scratch.writeString(hostLine)
            for (name, value) in head.headers where !(name.utf8.count == 4 && name.lowercased() == "host") {
                scratch.writeString(name)
                scratch.writeStaticString(": ")
                scratch.writeString(value)
                scratch.writeStaticString("\r\n")
            }
            scratch.writeString(forwardedFor)
        case .body(var chunk):
            scratch.writeBuffer(&chunk)
        case .end:
            sendScratch(head)
            head = nil
        }
    }

    override func nextRequest() {
        while !busy, !waiting.isEmpty { take(waiting.removeFirst()) }
    }

    func channelInactive(context: ChannelHandlerContext) { clientGone() }
}

/// `--raw`: the bytes as they came, with a scan for the head's end.
final class RawRelay: ClientRelay, ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private var inbound: ByteBuffer?

    func handlerAdded(context: ChannelHandlerContext) { start(context) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if inbound == nil { inbound = buffer } else { inbound!.writeImmutableBuffer(buffer) }
        nextRequest()
    }

    override func nextRequest() {
        guard !busy, var buffer = inbound else { return }
        let found = buffer.withUnsafeReadableBytes { bytes -> (length: Int, host: Range<Int>?)? in
            guard let length = HeadScan.messageLength(bytes, needLength: false), length <= bytes.count else { return nil }
            return (length, HeadScan.line(named: "host:", in: bytes))
        }
        guard let found else {
            if buffer.readableBytes > 65536 { context?.close(promise: nil) }
            return
        }
        var request = buffer.readSlice(length: found.length)!
        inbound = buffer.readableBytes > 0 ? buffer : nil  // drop the read buffer: NIO reuses it
        let headLength = request.withUnsafeReadableBytes { HeadScan.messageLength($0, needLength: false, headOnly: true)! }
        var head = request.readSlice(length: headLength - 2)!  // up to the blank line
        if let host = found.host {
            var before = head.readSlice(length: host.lowerBound)!
            scratch.writeBuffer(&before)
            scratch.writeString(hostLine)
            head.moveReaderIndex(forwardBy: host.count)
        }
        scratch.writeBuffer(&head)
        scratch.writeString(forwardedFor)
        request.moveReaderIndex(forwardBy: 2)
        scratch.writeBuffer(&request)  // the body
        sendScratch(nil)
    }

    func channelInactive(context: ChannelHandlerContext) { clientGone() }
}

/// The head scan of `--raw`, over the bytes as read.
enum HeadScan {
    /// The message's length: head plus `Content-Length`; nil if the head is not all in, or if
    /// `needLength` and it has no `Content-Length`. `headOnly`: the head's length.
    static func messageLength(_ bytes: UnsafeRawBufferPointer, needLength: Bool, headOnly: Bool = false) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var end = -1
        for i in 0..<(bytes.count - 3) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            end = i + 4
            break
        }
        if end < 0 { return nil }
        if headOnly { return end }
        guard let line = line(named: "content-length:", in: UnsafeRawBufferPointer(rebasing: bytes[0..<end])) else {
            return needLength ? nil : end
        }
        var i = line.lowerBound + 15, length = 0
        while i < line.upperBound, bytes[i] == 32 { i += 1 }
        while i < line.upperBound, bytes[i] >= 48, bytes[i] <= 57 { length = length * 10 + Int(bytes[i] - 48); i += 1 }
        return end + length
    }

    /// The range of the header line (CRLF included) whose name, with its colon, is `name` (lowercase).
    static func line(named name: StaticString, in bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        let n = name.utf8CodeUnitCount
        let wanted = UnsafeRawBufferPointer(start: name.utf8Start, count: n)
        var start = 0
        while start < bytes.count {
            guard let newline = bytes[start...].firstIndex(of: 10) else { return nil }
            let next = newline + 1
            if next + n <= bytes.count {
                var same = true
                for k in 0..<n where bytes[next + k] | 0x20 != wanted[k] { same = false; break }
                if same {
                    let end = bytes[next...].firstIndex(of: 10).map { $0 + 1 } ?? bytes.count
                    return next..<end
                }
            }
            start = next
        }
        return nil
    }
}

// MARK: - Start

let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
var listeners: [any Channel] = []
for eventLoop in group.makeIterator() {
    let pool = UpstreamPool(eventLoop)
    let channel = try ServerBootstrap(group: eventLoop)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .serverChannelOption(.socketOption(.init(rawValue: SO_REUSEPORT)), value: 1)
        .serverChannelOption(.backlog, value: 1024)
        .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                if raw {
                    try channel.pipeline.syncOperations.addHandler(RawRelay(pool: pool))
                } else {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)))
                    try channel.pipeline.syncOperations.addHandler(DecodedRelay(pool: pool))
                }
            }
        }
        .bind(host: "127.0.0.1", port: listenPort)
        .wait()
    listeners.append(channel)
}
print("NIORelay on \(listenPort) to \(upstreamPort), \(System.coreCount) loops, \(raw ? "raw" : "NIOHTTP1")")
try listeners[0].closeFuture.wait()

@testable import ConnectServer
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

/// ``RequestSequencer`` in an `EmbeddedChannel` with NIO's real HTTP/1 codec in front of it
/// and a stand-in for the handlers behind: bytes in, bytes out, time moved by hand.
struct RequestSequencerChannelTests {
    /// Answers each request with `200` and its path, at the request's end, or later when
    /// `deferred` (as the proxy does while the upstream thinks).
    final class Answerer: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        var deferred = false
        var waiting: [String] = []
        var context: ChannelHandlerContext?
        private var uri = ""

        func handlerAdded(context: ChannelHandlerContext) { self.context = context }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): uri = head.uri
            case .body: break
            case .end: if deferred { waiting.append(uri) } else { answer(uri) }
            }
        }

        func answer(_ uri: String) {
            guard let context else { return }
            let body = context.channel.allocator.buffer(string: uri)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok,
                                                                 headers: ["Content-Length": String(body.readableBytes)]))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }

        func answerWaiting() {
            let all = waiting
            waiting = []
            for uri in all { answer(uri) }
        }
    }

    static func channel(_ tweak: (inout ServerLimits) -> Void = { _ in }) throws -> (EmbeddedChannel, Answerer) {
        var limits = ServerLimits()
        tweak(&limits)
        let channel = EmbeddedChannel()
        let answerer = Answerer()
        try channel.pipeline.syncOperations.addHandler(ReadMeter())
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
            withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
            withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits.decoderLimits)
        try channel.pipeline.syncOperations.addHandler(RequestSequencer(.init(
            limits: limits, security: SecurityHeaders(hsts: false), accessLog: AccessLog(logger: Logger(label: "test")))))
        try channel.pipeline.syncOperations.addHandler(answerer)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 80)).wait()
        return (channel, answerer)
    }

    static func send(_ channel: EmbeddedChannel, _ text: String) throws {
        try channel.writeInbound(ByteBuffer(string: text))
    }

    /// Everything written so far, as text.
    static func output(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    /// Defect 3: the answer in flight goes out first, then the 400, then the close.
    @Test func aParseErrorAfterARequestInFlightIsAnsweredAfterIt() throws {
        let (channel, answerer) = try Self.channel()
        answerer.deferred = true
        try Self.send(channel, "GET /v1/connect/requirements HTTP/1.1\r\nHost: a\r\n\r\nGARBAGE\r\n\r\n")
        #expect(try Self.output(channel).isEmpty, "nothing may be written before the first answer")
        answerer.answerWaiting()
        let text = try Self.output(channel)
        #expect(RawConnection.statusLines(text) == ["HTTP/1.1 200 OK", "HTTP/1.1 400 Bad Request"])
        #expect(text.contains("/v1/connect/requirements"))
        #expect(!channel.isActive, "closed after the 400")
    }

    @Test func pipelinedAnswersLeaveInOrder() throws {
        let (channel, answerer) = try Self.channel()
        answerer.deferred = true
        try Self.send(channel, "GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\nGET /c HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(answerer.waiting == ["/a"], "one request at a time")
        answerer.answerWaiting()
        #expect(answerer.waiting == ["/b"])
        answerer.answerWaiting()
        answerer.answerWaiting()
        let text = try Self.output(channel)
        let order = ["/a", "/b", "/c"].map { text.range(of: "\r\n\r\n" + $0)!.lowerBound }
        #expect(order == order.sorted())
        #expect(channel.isActive)
    }

    /// Defect 1: while the client does not read, pipelined requests wait unread and
    /// unanswered, and the send timeout ends the connection.
    @Test func aClientThatNeverReadsIsNotAnsweredWithoutEnd() throws {
        let (channel, answerer) = try Self.channel { $0.sendTimeout = .seconds(5) }
        try Self.send(channel, "GET /a HTTP/1.1\r\nHost: a\r\n\r\n")
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        try Self.send(channel, String(repeating: "GET /more HTTP/1.1\r\nHost: a\r\n\r\n", count: 100))
        _ = try Self.output(channel)
        #expect(answerer.waiting.isEmpty)
        // The next request waits: no more answers while unwritable.
        channel.read()
        #expect(try Self.output(channel).isEmpty)
        channel.embeddedEventLoop.advanceTime(by: .seconds(6))
        #expect(!channel.isActive, "the send timeout closed it")
    }

    /// Defect 2: a head that stops half way is answered 408 at the header timeout.
    @Test func aHalfSentHeadTimesOut() throws {
        let (channel, _) = try Self.channel { $0.headerTimeout = .seconds(10) }
        try Self.send(channel, "GET / HTTP/1.1\r\nHos")
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        try Self.send(channel, "t: a")
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(RawConnection.statusLines(try Self.output(channel)) == ["HTTP/1.1 408 Request Timeout"])
        #expect(!channel.isActive)
    }

    @Test func anIdleKeptConnectionCloses() throws {
        let (channel, _) = try Self.channel { $0.idleTimeout = .seconds(30) }
        try Self.send(channel, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        _ = try Self.output(channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }

    /// Defects 8 and 11, through NIO's decoder.
    @Test(arguments: [
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n", "HTTP/1.1 501 Not Implemented"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "HTTP/1.1 400 Bad Request"),
        ("GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "X-A: b\r\n", count: 150) + "\r\n", "HTTP/1.1 431 Request Header Fields Too Large"),
    ])
    func framingAndLimitsAreEnforced(request: String, status: String) throws {
        let (channel, answerer) = try Self.channel()
        try Self.send(channel, request)
        #expect(RawConnection.statusLines(try Self.output(channel)) == [status])
        #expect(answerer.waiting.isEmpty)
        #expect(!channel.isActive)
    }

    /// Half-close after a whole request: answered, then closed.
    @Test func aHalfClosedClientGetsItsAnswer() throws {
        let (channel, answerer) = try Self.channel()
        answerer.deferred = true
        try Self.send(channel, "GET /a HTTP/1.1\r\nHost: a\r\n\r\n")
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(channel.isActive)
        answerer.answerWaiting()
        #expect(RawConnection.statusLines(try Self.output(channel)) == ["HTTP/1.1 200 OK"])
        #expect(!channel.isActive)
    }
}

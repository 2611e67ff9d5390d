@testable import ConnectServer
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

/// ``ConnectForwarder`` between two `EmbeddedChannel`s on one loop: the client's, with the
/// real server codec and sequencer, and each upstream connection's, with the real client
/// codec. Bytes go in on either side by hand, so every misbehaving upstream is replayed
/// exactly, without sockets or timing.
struct ConnectForwarderChannelTests {
    /// The upstream connections the pool will open, in order, and the ones it opened.
    final class Upstreams: Sendable {
        let loop: EmbeddedEventLoop
        private let opened = NIOLockedValueBox<[EmbeddedChannel]>([])

        init(loop: EmbeddedEventLoop) { self.loop = loop }

        var all: [EmbeddedChannel] { opened.withLockedValue { $0 } }

        func connect() -> EventLoopFuture<any Channel> {
            let channel = EmbeddedChannel(loop: loop)
            do {
                try UpstreamPool.addHandlers(to: channel)
                try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
            } catch {
                return loop.makeFailedFuture(error)
            }
            opened.withLockedValue { $0.append(channel) }
            return loop.makeSucceededFuture(channel)
        }
    }

    struct Harness {
        let client: EmbeddedChannel
        let upstreams: Upstreams

        let metrics: ServerMetrics?

        init(timeout: TimeAmount = .seconds(30), metrics: ServerMetrics? = nil) throws {
            let loop = EmbeddedEventLoop()
            let upstreams = Upstreams(loop: loop)
            let pools = try UpstreamPools(address: UpstreamAddress("http://127.0.0.1:9/base")!, group: loop,
                                          connectTimeout: .seconds(1), connector: { _ in upstreams.connect() },
                                          metrics: metrics)
            let security = SecurityHeaders(hsts: false)
            let log = AccessLog(logger: Logger(label: "test"), metrics: metrics)
            let client = EmbeddedChannel(loop: loop)
            let pipeline = client.pipeline.syncOperations
            try pipeline.addHandler(ReadMeter())
            try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false,
                                                     withOutboundHeaderValidation: false)
            try pipeline.addHandler(RequestSequencer(.init(limits: ServerLimits(), security: security, accessLog: log)))
            try pipeline.addHandler(ConnectForwarder(.init(
                policy: ProxyPolicy(rateLimiter: RateLimiter(perMinute: 0), trustedProxies: [], maxBodyBytes: 64 * 1024),
                pools: pools, timeout: timeout, security: security, accessLog: log, logger: Logger(label: "test"))))
            try client.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 80)).wait()
            self.client = client
            self.upstreams = upstreams
            self.metrics = metrics
        }

        /// One series' value now, e.g. `connect_upstream_calls_total{outcome="ok"}`.
        func metric(_ series: String) -> Double? {
            client.embeddedEventLoop.run()  // the close callbacks the loop has queued
            return MetricsTests.value(String(decoding: metrics!.exposition(), as: UTF8.self), series)
        }

        /// Every upstream outcome with a count, e.g. `["ok": 1]`.
        func outcomes() -> [String: Double] {
            var counts: [String: Double] = [:]
            for outcome in UpstreamOutcome.allCases {
                let value = metric("connect_upstream_calls_total{outcome=\"\(outcome.rawValue)\"}") ?? 0
                if value > 0 { counts[outcome.rawValue] = value }
            }
            return counts
        }

        func send(_ text: String) throws { try client.writeInbound(ByteBuffer(string: text)) }

        func call(_ path: String = "/v1/connect/requirements/status") throws {
            try send("GET \(path) HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer t\r\n\r\n")
        }

        /// What the client received so far.
        func received() throws -> String {
            var text = ""
            while let buffer = try client.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
            return text
        }

        /// What upstream connection `index` was sent so far.
        func sent(to index: Int) throws -> String {
            var text = ""
            while let buffer = try upstreams.all[index].readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
            return text
        }

        func answer(_ index: Int, _ raw: String) throws {
            try upstreams.all[index].writeInbound(ByteBuffer(string: raw))
        }
    }

    static let ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"

    @Test func aCallIsForwardedAndItsConnectionReused() throws {
        let harness = try Harness()
        try harness.call()
        #expect(try harness.sent(to: 0).hasPrefix("GET /base/v1/connect/requirements/status HTTP/1.1\r\n"))
        try harness.answer(0, Self.ok)
        let text = try harness.received()
        #expect(RawConnection.statusLines(text) == ["HTTP/1.1 200 OK"])
        #expect(text.hasSuffix("\r\n\r\n{}"))
        try harness.call()
        #expect(harness.upstreams.all.count == 1, "the connection went back to the pool")
        #expect(try harness.sent(to: 0).hasPrefix("GET /base/"))
    }

    /// Defect 5: bytes after the answer's end spoil the connection; the next call opens a new one.
    @Test(arguments: [ok + "HTTP/1.1 200 OK\r\nX-Evil: 1\r\n", ok + "X", "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\n"])
    func bytesBeyondTheAnswerSpoilTheConnection(reply: String) throws {
        let harness = try Harness()
        try harness.call()
        try harness.answer(0, reply)
        #expect(!harness.upstreams.all[0].isActive, "a spoiled connection is closed")
        #expect(!(try harness.received()).contains("X-Evil"))
        try harness.call()
        #expect(harness.upstreams.all.count == 2)
        try harness.answer(1, Self.ok)
        #expect(RawConnection.statusLines(try harness.received()) == ["HTTP/1.1 200 OK"])
    }

    /// Any byte on a connection waiting in the pool closes it (nginx does the same).
    @Test func anIdlePooledConnectionThatSpeaksIsClosed() throws {
        let harness = try Harness()
        try harness.call()
        try harness.answer(0, Self.ok)
        _ = try harness.received()
        try harness.answer(0, "HTTP/1.1 200 OK\r\n")
        #expect(!harness.upstreams.all[0].isActive)
        try harness.call()
        #expect(harness.upstreams.all.count == 2)
    }

    /// Defect 6: a 101 is a 502 for the client and the end of that upstream connection.
    @Test func switchingProtocolsIs502() throws {
        let harness = try Harness()
        try harness.call()
        try harness.answer(0, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: upgrade\r\n\r\n")
        let text = try harness.received()
        #expect(RawConnection.statusLines(text) == ["HTTP/1.1 502 Bad Gateway"])
        #expect(text.contains("bad_gateway"))
        #expect(!harness.upstreams.all[0].isActive)
        #expect(harness.client.isActive, "the client's connection goes on")
    }

    /// The upstream dies mid-answer: the client's connection closes, since the answer can
    /// only be cut short honestly.
    @Test func anUpstreamThatDiesMidAnswerClosesTheClient() throws {
        let harness = try Harness()
        try harness.call()
        try harness.answer(0, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"da")
        #expect(RawConnection.statusLines(try harness.received()) == ["HTTP/1.1 200 OK"])
        harness.upstreams.all[0].pipeline.fireChannelInactive()
        #expect(!harness.client.isActive)
    }

    @Test func aClientThatLeavesMidAnswerClosesTheUpstreamConnection() throws {
        let harness = try Harness()
        try harness.call()
        try harness.answer(0, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"da")
        try harness.client.close().wait()
        #expect(!harness.upstreams.all[0].isActive, "a half-read answer cannot be reused")
    }

    /// Pipelined behind a proxied call, a file request and garbage wait their turn.
    @Test func pipelinedRequestsWaitForTheUpstream() throws {
        let harness = try Harness()
        try harness.send("GET /v1/connect/requirements HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer t\r\n\r\nGARBAGE\r\n\r\n")
        #expect(try harness.received().isEmpty)
        try harness.answer(0, Self.ok)
        let text = try harness.received()
        #expect(RawConnection.statusLines(text) == ["HTTP/1.1 200 OK", "HTTP/1.1 400 Bad Request"])
    }

    /// A client that ends its input after a whole request still gets its answer.
    @Test func aHalfClosedClientGetsItsProxiedAnswer() throws {
        let harness = try Harness()
        try harness.call()
        harness.client.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        try harness.answer(0, Self.ok)
        #expect(RawConnection.statusLines(try harness.received()) == ["HTTP/1.1 200 OK"])
    }

    @Test func theUpstreamTimeoutIs504() throws {
        let harness = try Harness(timeout: .seconds(5))
        try harness.call()
        harness.client.embeddedEventLoop.advanceTime(by: .seconds(6))
        let text = try harness.received()
        #expect(RawConnection.statusLines(text) == ["HTTP/1.1 504 Gateway Timeout"])
        #expect(!harness.upstreams.all[0].isActive)
    }

    // MARK: What the metrics count when a peer misbehaves

    /// Every call ends in exactly one upstream outcome, whatever the upstream sends after it.
    @Test func aWholeAnswerIsOneOkEvenWithBytesAfterIt() throws {
        let harness = try Harness(metrics: ServerMetrics())
        try harness.call()
        try harness.answer(0, Self.ok + Self.ok)  // answered twice
        try harness.answer(0, "more")             // and then more
        #expect(harness.outcomes() == ["ok": 1])
        #expect(harness.metric(#"connect_requests_total{route="requirement_statuses",status="200"}"#) == 1)
        #expect(harness.metric("connect_upstream_connections_opened_total") == 1)
        #expect(harness.metric("connect_upstream_connections_closed_total") == 1, "the spoiled connection closed")
    }

    @Test func anUpstreamThatDiesMidAnswerIsOneReset() throws {
        let harness = try Harness(metrics: ServerMetrics())
        try harness.call()
        try harness.answer(0, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"da")
        try harness.upstreams.all[0].close().wait()
        #expect(harness.outcomes() == ["reset": 1])
        // The status went out before the cut: the access record counts the 200 the client saw.
        #expect(harness.metric(#"connect_requests_total{route="requirement_statuses",status="200"}"#) == 1)
    }

    @Test func aClientThatLeavesIsNotTheUpstreamsFault() throws {
        let harness = try Harness(metrics: ServerMetrics())
        try harness.call()
        try harness.answer(0, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"da")
        try harness.client.close().wait()
        #expect(harness.outcomes() == [:])
        // Nor before the answer's head: the call was sent and never answered.
        let second = try Harness(metrics: ServerMetrics())
        try second.call()
        try second.client.close().wait()
        #expect(second.outcomes() == [:])
        #expect(second.metric("connect_upstream_connections_closed_total") == 1)
    }

    /// Too slowly: the timeout is the one outcome, and an answer that comes after it changes nothing.
    @Test func aLateAnswerAfterTheTimeoutIsStillOneTimeout() throws {
        let harness = try Harness(timeout: .seconds(5), metrics: ServerMetrics())
        try harness.call()
        harness.client.embeddedEventLoop.advanceTime(by: .seconds(6))
        #expect(RawConnection.statusLines(try harness.received()) == ["HTTP/1.1 504 Gateway Timeout"])
        try? harness.answer(0, Self.ok)
        #expect(harness.outcomes() == ["timeout": 1])
        #expect(try harness.received().isEmpty, "the late answer reaches nobody")
        #expect(harness.metric(#"connect_requests_total{route="requirement_statuses",status="504"}"#) == 1)
    }

    /// In the wrong order: an answer with no call is a spoiled idle connection, not an outcome.
    @Test func anAnswerBeforeAnyCallCountsNothing() throws {
        let harness = try Harness(metrics: ServerMetrics())
        try harness.call()
        try harness.answer(0, Self.ok)
        _ = try harness.received()
        try harness.answer(0, Self.ok)  // unasked, on the pooled connection
        #expect(harness.outcomes() == ["ok": 1])
        #expect(harness.metric("connect_upstream_connections_closed_total") == 1)
        #expect(harness.upstreams.all.map(\.isActive) == [false])
    }

    /// A refusal never reaches the upstream: counted as refused, with no upstream outcome.
    @Test func aRefusalIsCountedWithoutAnUpstreamCall() throws {
        let harness = try Harness(metrics: ServerMetrics())
        try harness.send("GET /v1/connect/requirements HTTP/1.1\r\nHost: a\r\n\r\n")
        try harness.send("GET /v1/connect/nope HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer t\r\n\r\n")
        #expect(RawConnection.statusLines(try harness.received()) == ["HTTP/1.1 401 Unauthorized", "HTTP/1.1 404 Not Found"])
        #expect(harness.metric(#"connect_requests_total{route="refused",status="401"}"#) == 1)
        #expect(harness.metric(#"connect_requests_total{route="refused",status="404"}"#) == 1)
        #expect(harness.outcomes() == [:])
        #expect(harness.upstreams.all.isEmpty)
    }
}

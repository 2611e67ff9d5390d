import ConnectAPI
@testable import ConnectServer
import NIOCore
import NIOHTTP1
import Testing

/// A proxied call's rules without sockets: the client's parts and the upstream's parts in
/// each order a peer may send them.
struct ProxyCallStateMachineTests {
    typealias Machine = ProxyCallStateMachine
    static let upstream = UpstreamAddress("http://127.0.0.1:9/base")!

    static func machine() -> Machine { Machine(maxBodyBytes: 16, upstream: upstream) }

    static func forward(_ path: String = "/v1/connect/requirements/status") -> (Substring, ProxyRequestHeaders) -> ProxyDecision {
        { _, _ in .forward(ConnectRoute.match(method: "GET", path: path) ?? .requirementStatuses,
                           ClientAddress(peer: "127.0.0.1", forwardedFor: nil, trusted: [])) }
    }

    static func head(_ uri: String, _ method: HTTPMethod = .GET) -> HTTPRequestHead {
        HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: ["Authorization": "Bearer t"])
    }

    /// Runs a GET up to the point where the upstream's answer is awaited.
    static func awaitingHead(_ machine: inout Machine, reused: Bool = false, uri: String = "/v1/connect/requirements/status") {
        _ = machine.requestHead(head(uri), requestID: { "id" }, decide: forward())
        guard case .connect = machine.requestEnd() else { Issue.record("no connect"); return }
        guard case .send(let sent, _) = machine.leased(reused: reused) else { Issue.record("no send"); return }
        #expect(sent.uri.hasPrefix("/base/v1/connect/requirements/status"))
    }

    @Test func pathsOutsideV1PassOn() {
        var machine = Self.machine()
        guard case .pass = machine.requestHead(Self.head("/docs/"), requestID: { "id" }, decide: Self.forward()) else {
            Issue.record("not passed"); return
        }
        guard case .pass = machine.requestEnd() else { Issue.record("end not passed"); return }
    }

    /// Defect 10: a refusal is answered at the head; the body is never waited for.
    @Test func aRefusalIsAnsweredAtTheHead() {
        var machine = Self.machine()
        let action = machine.requestHead(Self.head("/v1/connect/requirements", .POST), requestID: { "id" }) { _, _ in
            .refuse(.unauthorized, message: nil, headers: [("WWW-Authenticate", "Bearer")])
        }
        guard case .refuse(_, let answer) = action else { Issue.record("\(action)"); return }
        #expect(answer.status == 401)
        #expect(answer.extra.map(\.name) == ["WWW-Authenticate"])
        guard case .none = machine.requestBody(ByteBuffer(string: "ignored")) else { Issue.record("body used"); return }
        guard case .none = machine.requestEnd() else { Issue.record("call made"); return }
    }

    @Test func aBodyOverTheLimitIs413() {
        var machine = Self.machine()
        _ = machine.requestHead(Self.head("/v1/connect/requirements/x/credentials", .POST), requestID: { "id" }, decide: Self.forward())
        guard case .none = machine.requestBody(ByteBuffer(string: "0123456789")) else { Issue.record("refused early"); return }
        guard case .refuse(_, let answer) = machine.requestBody(ByteBuffer(string: "0123456789")) else { Issue.record("not refused"); return }
        #expect(answer.status == 413)
        guard case .none = machine.requestEnd() else { Issue.record("call made"); return }
    }

    /// Defect 6: a 101 (or any 1xx) nobody asked for is a 502, and the connection that sent
    /// it is closed, not pooled.
    @Test(arguments: [HTTPResponseStatus.switchingProtocols, .processing, .custom(code: 103, reasonPhrase: "Early Hints")])
    func anInformationalAnswerIs502(status: HTTPResponseStatus) {
        var machine = Self.machine()
        Self.awaitingHead(&machine)
        guard case .fail(_, let answer, _) = machine.upstreamHead(HTTPResponseHead(version: .http1_1, status: status)) else {
            Issue.record("passed on"); return
        }
        #expect(answer.status == 502)
        guard case .none = machine.upstreamEnd() else { Issue.record("finished after the failure"); return }
    }

    @Test func a204AndA304CarryNoBody() {
        for status in [HTTPResponseStatus.noContent, .notModified] {
            var machine = Self.machine()
            Self.awaitingHead(&machine)
            guard case .forwardHead = machine.upstreamHead(HTTPResponseHead(version: .http1_1, status: status)) else {
                Issue.record("head not forwarded"); return
            }
            guard case .none = machine.upstreamBody(ByteBuffer(string: "body")) else { Issue.record("body forwarded"); return }
            guard case .finish = machine.upstreamEnd() else { Issue.record("not finished"); return }
        }
    }

    @Test func aWholeAnswerFinishesAndKeepsTheConnectionOnlyIfTheUpstreamSaidSo() {
        for (headers, keeps) in [(HTTPHeaders([("Content-Length", "2")]), true), (HTTPHeaders([("Connection", "close")]), false)] {
            var machine = Self.machine()
            Self.awaitingHead(&machine)
            _ = machine.upstreamHead(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))
            guard case .forwardBody = machine.upstreamBody(ByteBuffer(string: "{}")) else { Issue.record("no body"); return }
            guard case .finish(let keepAlive) = machine.upstreamEnd() else { Issue.record("not finished"); return }
            #expect(keepAlive == keeps)
        }
    }

    /// A dropped kept-alive connection: a GET goes again once, on another connection.
    @Test func aDroppedReusedConnectionRetriesAGetOnce() {
        var machine = Self.machine()
        Self.awaitingHead(&machine, reused: true)
        guard case .connect = machine.upstreamFailed(UpstreamError.closedEarly) else { Issue.record("no retry"); return }
        guard case .send = machine.leased(reused: true) else { Issue.record("not sent again"); return }
        guard case .fail(_, let answer, _) = machine.upstreamFailed(UpstreamError.closedEarly) else { Issue.record("retried twice"); return }
        #expect(answer.status == 502)
    }

    @Test func aPostIsNeverSentTwice() {
        var machine = Self.machine()
        _ = machine.requestHead(Self.head("/v1/connect/requirements/x/credentials", .POST), requestID: { "id" }, decide: Self.forward())
        _ = machine.requestEnd()
        _ = machine.leased(reused: true)
        guard case .fail = machine.upstreamFailed(UpstreamError.closedEarly) else { Issue.record("POST retried"); return }
    }

    @Test func aTimeoutBeforeTheHeadIs504AndAfterItAborts() {
        var waiting = Self.machine()
        Self.awaitingHead(&waiting)
        guard case .fail(_, let answer, _) = waiting.timedOut() else { Issue.record("no answer"); return }
        #expect(answer.status == 504)

        var streaming = Self.machine()
        Self.awaitingHead(&streaming)
        _ = streaming.upstreamHead(HTTPResponseHead(version: .http1_1, status: .ok))
        guard case .abort = streaming.timedOut() else { Issue.record("answered twice"); return }
    }

    /// A connection leased after the call ended (it timed out meanwhile) is given back.
    @Test func aLateLeaseIsReturned() {
        var machine = Self.machine()
        _ = machine.requestHead(Self.head("/v1/connect/requirements/status"), requestID: { "id" }, decide: Self.forward())
        _ = machine.requestEnd()
        _ = machine.timedOut()
        guard case .returnLease = machine.leased(reused: false) else { Issue.record("lease kept"); return }
    }

    @Test func theClientLeavingMidAnswerAborts() {
        var machine = Self.machine()
        Self.awaitingHead(&machine)
        guard case .abort = machine.clientClosed() else { Issue.record("upstream connection kept"); return }
        guard case .none = machine.upstreamEnd() else { Issue.record("answer after the client left"); return }
    }

    @Test func withoutAnUpstreamAllowedCallsAre502() {
        var machine = Machine(maxBodyBytes: 16, upstream: nil)
        _ = machine.requestHead(Self.head("/v1/connect/requirements/status"), requestID: { "id" }, decide: Self.forward())
        guard case .fail(_, let answer, _) = machine.requestEnd() else { Issue.record("no answer"); return }
        #expect(answer.status == 502)
        #expect(String(buffer: answer.body).contains("No upstream is configured"))
    }

    /// Defect 7: raw bytes in the query reach the upstream percent-encoded.
    @Test(arguments: [
        ("q=%22%3Cscript%3E", "q=%22%3Cscript%3E"),
        ("q=\"<script>", "q=%22%3Cscript%3E"),
        ("a=1&b=x y", "a=1&b=x%20y"),
        ("p=100%", "p=100%25"),
        ("k=é", "k=%C3%A9"),
        ("s=a/b?c:d@e", "s=a/b?c:d@e"),
    ])
    func theQueryIsForwardedEncoded(raw: String, sent: String) {
        #expect(QueryForwarding.encode(raw[...]) == sent)
    }
}

/// When an upstream connection may carry another call (defect 5).
struct UpstreamFramingTests {
    @Test func aReadThatEndsWithTheAnswerIsClean() {
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"
        #expect(UpstreamFraming.endsCleanly(read: ByteBuffer(string: head + "{}"), lastBody: ByteBuffer(string: "{}")))
        #expect(UpstreamFraming.endsCleanly(read: ByteBuffer(string: "HTTP/1.1 204 No Content\r\n\r\n"), lastBody: nil))
        #expect(UpstreamFraming.endsCleanly(read: ByteBuffer(string: "2\r\n{}\r\n0\r\n\r\n"), lastBody: nil))
    }

    @Test func bytesAfterTheAnswerSpoilTheConnection() {
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"
        #expect(!UpstreamFraming.endsCleanly(read: ByteBuffer(string: head + "{}EXTRA"), lastBody: ByteBuffer(string: "{}")))
        #expect(!UpstreamFraming.endsCleanly(read: ByteBuffer(string: head + "{}HTTP/1.1 200 OK\r\nX: "), lastBody: ByteBuffer(string: "{}")))
        // A 204 with a body: NIO skips the body, which stays in the read.
        #expect(!UpstreamFraming.endsCleanly(read: ByteBuffer(string: "HTTP/1.1 204 No Content\r\nContent-Length: 4\r\n\r\nbody"), lastBody: nil))
    }

    @Test func informationalAnswersAreRefused() {
        #expect(UpstreamFraming.judge(HTTPResponseHead(version: .http1_1, status: .switchingProtocols)) == .refuse)
        #expect(UpstreamFraming.judge(HTTPResponseHead(version: .http1_1, status: .ok)) == .forward(hasBody: true))
        #expect(UpstreamFraming.judge(HTTPResponseHead(version: .http1_1, status: .notModified)) == .forward(hasBody: false))
    }
}

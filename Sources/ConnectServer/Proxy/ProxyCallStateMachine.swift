import ConnectAPI
import NIOCore
import NIOHTTP1

/// One client connection's proxied calls, as a value: what arrives from the client and
/// from the upstream goes in, what to write and to whom comes out as an ``Action``;
/// ``ConnectForwarder`` carries the actions out. It holds no channel and no timer, so each
/// order of events (an upstream that closes, answers twice, never answers; a client that
/// leaves mid-answer) is a unit test.
///
/// ```
/// idle ─head─► passing ─end─► idle                          (not /v1)
///      ─head─► refused ─end─► idle                          (answered at the head)
///      ─head─► readingBody ─end─► awaitingConnection ─leased─► awaitingHead
///              awaitingHead ─head─► streaming ─end─► idle   (connection released)
///              awaitingHead ─dropped kept-alive, GET─► awaitingConnection (once)
/// ```
struct ProxyCallStateMachine {
    /// The client's request, as the proxy needs it after its head.
    struct Request {
        var method: HTTPMethod
        var version: HTTPVersion
        var rawPath: Substring
        var query: Substring?
        var requestID: String
        var headers: ProxyRequestHeaders
    }

    struct Call {
        var request: Request
        var route: ConnectRoute
        var client: ClientAddress
        var body: ByteBuffer?
        /// The upstream request, kept for one retry on a fresh connection.
        var upstreamHead: HTTPRequestHead?
        var leaseReused = false
        var retried = false
        var upstreamKeepsConnection = false
        var answerHasBody = true
    }

    enum State {
        case idle
        /// The current request is not the proxy's.
        case passing
        /// Answered already; the rest of the request is not the proxy's concern.
        case refused
        case readingBody(Call)
        case awaitingConnection(Call)
        case awaitingHead(Call)
        case streaming(Call)
    }

    enum Action {
        case none
        /// Hand the part to the handlers behind.
        case pass
        /// Answer the client with this, now; there is no upstream call.
        case refuse(Request, ErrorAnswer)
        /// Lease an upstream connection.
        case connect
        /// Send this on the connection just leased.
        case send(HTTPRequestHead, ByteBuffer?)
        /// A connection was leased for a call that is gone: give it back unused.
        case returnLease
        /// Write the answer's head to the client.
        case forwardHead(Request, HTTPResponseHead)
        case forwardBody(ByteBuffer)
        /// The answer ended: write the end, give the connection back (or close it).
        case finish(keepAlive: Bool)
        /// Answer with an error and close the connection the call holds, if any.
        case fail(Request, ErrorAnswer, reason: any Error)
        /// Part of the answer is out: closing both connections is the only honest end.
        case abort
    }

    let maxBodyBytes: Int
    /// The upstream's address; nil when no `--upstream` is configured.
    let upstream: UpstreamAddress?
    private(set) var state = State.idle

    init(maxBodyBytes: Int, upstream: UpstreamAddress?) {
        self.maxBodyBytes = maxBodyBytes
        self.upstream = upstream
    }

    // MARK: From the client

    /// A request head; `decide` runs the policy only for `/v1` paths.
    mutating func requestHead(_ head: HTTPRequestHead, requestID: () -> String,
                              decide: (Substring, ProxyRequestHeaders) -> ProxyDecision) -> Action {
        let (rawPath, query) = RequestPath.split(target: head.uri)
        guard RouteClass(rawPath: rawPath) == .proxy else {
            state = .passing
            return .pass
        }
        let headers = ProxyRequestHeaders(head.headers)
        let request = Request(method: head.method, version: head.version, rawPath: rawPath, query: query,
                              requestID: RequestIdentifier.accept(headers.requestID) ?? requestID(), headers: headers)
        switch decide(rawPath, headers) {
        case .refuse(let code, let message, let extra):
            state = .refused
            return .refuse(request, .contract(code, message: message, headers: extra))
        case .forward(let route, let client):
            state = .readingBody(Call(request: request, route: route, client: client))
            return .none
        }
    }

    mutating func requestBody(_ chunk: ByteBuffer) -> Action {
        switch state {
        case .passing:
            return .pass
        case .readingBody(var call):
            var chunk = chunk
            if (call.body?.readableBytes ?? 0) + chunk.readableBytes > maxBodyBytes {
                state = .refused
                return .refuse(call.request, .contract(ProxyAnswer.bodyTooLarge.code))
            }
            if call.body == nil { call.body = chunk } else { call.body!.writeBuffer(&chunk) }
            state = .readingBody(call)
            return .none
        default:
            return .none
        }
    }

    mutating func requestEnd() -> Action {
        switch state {
        case .passing:
            state = .idle
            return .pass
        case .refused:
            state = .idle
            return .none
        case .readingBody(var call):
            guard let upstream else {
                state = .idle
                return .fail(call.request, .contract(.badGateway, message: UpstreamFailure.notConfigured), reason: UpstreamError.notConfigured)
            }
            call.upstreamHead = Self.upstreamHead(for: call, upstream: upstream)
            // The client's headers are in the upstream head now; the states after carry less.
            call.request.headers = ProxyRequestHeaders()
            state = .awaitingConnection(call)
            return .connect
        default:
            return .none
        }
    }

    /// The client's connection closed.
    mutating func clientClosed() -> Action {
        switch state {
        case .awaitingHead, .streaming:
            state = .idle
            return .abort
        default:
            state = .idle
            return .none
        }
    }

    // MARK: From the upstream

    mutating func leased(reused: Bool) -> Action {
        guard case .awaitingConnection(var call) = state, let head = call.upstreamHead else { return .returnLease }
        call.leaseReused = reused
        state = .awaitingHead(call)
        return .send(head, call.body)
    }

    mutating func upstreamHead(_ head: HTTPResponseHead) -> Action {
        guard case .awaitingHead(var call) = state else { return .none }
        switch UpstreamFraming.judge(head) {
        case .refuse:
            state = .idle
            return .fail(call.request, .contract(.badGateway, message: UpstreamFailure.invalidAnswer), reason: UpstreamError.unexpectedStatus(head.status.code))
        case .forward(let hasBody):
            call.upstreamKeepsConnection = head.isKeepAlive
            call.answerHasBody = hasBody
            state = .streaming(call)
            return .forwardHead(call.request, head)
        }
    }

    mutating func upstreamBody(_ chunk: ByteBuffer) -> Action {
        guard case .streaming(let call) = state, call.answerHasBody else { return .none }
        return .forwardBody(chunk)
    }

    mutating func upstreamEnd() -> Action {
        guard case .streaming(let call) = state else { return .none }
        state = .idle
        return .finish(keepAlive: call.upstreamKeepsConnection)
    }

    /// The lease could not be had, or the connection failed before the answer's end.
    mutating func upstreamFailed(_ error: any Error) -> Action {
        switch state {
        case .awaitingConnection(let call):
            state = .idle
            return fail(call, error)
        case .awaitingHead(var call):
            // A kept-alive connection the upstream closed while it sat idle fails before any
            // answer: a GET, which cannot have changed anything, goes again on a fresh one.
            if call.leaseReused, !call.retried, call.request.method == .GET, Self.isDroppedConnection(error) {
                call.retried = true
                state = .awaitingConnection(call)
                return .connect
            }
            state = .idle
            return fail(call, error)
        case .streaming:
            state = .idle
            return .abort
        default:
            return .none
        }
    }

    /// `--upstream-timeout` passed.
    mutating func timedOut() -> Action {
        upstreamFailed(UpstreamError.timedOut)
    }
}

private extension ProxyCallStateMachine {
    func fail(_ call: Call, _ error: any Error) -> Action {
        let failure = UpstreamFailure.classify(error)
        return .fail(call.request, .contract(failure.code, message: failure.message), reason: error)
    }

    static func isDroppedConnection(_ error: any Error) -> Bool {
        if error is IOError { return true }
        if case UpstreamError.closedEarly = error { return true }
        return false
    }

    static func upstreamHead(for call: Call, upstream: UpstreamAddress) -> HTTPRequestHead {
        var target = upstream.basePath + call.route.path
        if let query = call.request.query { target += "?" + QueryForwarding.encode(query) }
        let hasBody = call.request.method == .POST || (call.body?.readableBytes ?? 0) > 0
        return HTTPRequestHead(
            version: .http1_1, method: call.request.method, uri: target,
            headers: ProxyHeaders.upstreamRequest(from: call.request.headers, client: call.client, requestID: call.request.requestID,
                                                  host: upstream.hostHeader,
                                                  bodyLength: hasBody ? call.body?.readableBytes ?? 0 : nil))
    }
}

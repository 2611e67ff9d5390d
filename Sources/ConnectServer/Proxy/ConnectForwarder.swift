import ConnectAPI
import Logging
import NIOCore
import NIOHTTP1

/// The proxy: takes every `/v1` request off the client's connection, refuses what the
/// ``ProxyPolicy`` refuses in the contract's error shape, and forwards the rest to the
/// upstream over a kept-alive connection of the same event loop, streaming the answer
/// back as it arrives. Requests outside `/v1` pass on to Hummingbird.
///
/// Why a channel handler: through Hummingbird and AsyncHTTPClient a proxied call cost two
/// tasks, a pool hop and a streaming delegate, and ran at 0.26× nginx (BENCHMARKS.md).
/// Here it costs two writes and two reads on one thread.
///
/// Requests reach it one at a time: ``RequestSequencer`` holds a connection's next request
/// until the answer to the current one has ended, and closes the connection after it when
/// the client asked.
final class ConnectForwarder: ChannelDuplexHandler, RemovableChannelHandler, UpstreamListener {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    struct Configuration: Sendable {
        let policy: ProxyPolicy
        /// Nil when no `--upstream` is configured: allowed calls get 502.
        let pools: UpstreamPools?
        /// How long an upstream call may take, from sending to the answer's end.
        let timeout: TimeAmount
        let security: SecurityHeaders
        let accessLog: AccessLog
        let logger: Logger
    }

    /// One proxied call, from the client's head to the answer's end.
    fileprivate final class Call {
        let method: HTTPMethod
        /// The client's HTTP version: the answer is framed for it (no chunks for HTTP/1.0).
        let version: HTTPVersion
        let uri: String
        let rawPath: Substring
        let query: Substring?
        let requestID: String
        let started = NIODeadline.now()
        let headers: ProxyRequestHeaders
        var decision: ProxyDecision
        var body: ByteBuffer?
        var lease: UpstreamLease?
        var timeout: Scheduled<Void>?
        /// The answer's head has gone to the client: a failure now can only close.
        var answering = false
        var retried = false
        /// The upstream request, kept for one retry on a fresh connection.
        var upstreamHead: HTTPRequestHead?
        /// The upstream's answer lets its connection be used again.
        var upstreamKeepsConnection = false

        init(head: HTTPRequestHead, headers: ProxyRequestHeaders, rawPath: Substring, query: Substring?,
             requestID: String, decision: ProxyDecision) {
            method = head.method
            version = head.version
            uri = head.uri
            self.rawPath = rawPath
            self.query = query
            self.requestID = requestID
            self.headers = headers
            self.decision = decision
        }
    }

    private enum State {
        case idle
        /// The current request is not the proxy's.
        case passing
        case call(Call)
        /// Answered before its body ended (413): the rest is dropped, then the connection closes.
        case discarding
    }

    private let configuration: Configuration
    private var state = State.idle
    private var context: ChannelHandlerContext?
    /// The TCP peer's address, looked up once per connection (the lookup formats a string).
    private var peerAddress: String??

    /// The most of a refused body read and dropped to keep the connection.
    static let discardLimit = 1024 * 1024
    /// Bytes of the refused body dropped so far.
    private var discarded = 0

    init(_ configuration: Configuration) { self.configuration = configuration }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), _):
            let (rawPath, query) = RequestPath.split(target: head.uri)
            guard ConnectResponder.isProxyPath(rawPath) else {
                state = .passing
                context.fireChannelRead(data)
                return
            }
            let headers = ProxyRequestHeaders(head.headers)
            let requestID = RequestIdentifier.accept(headers.requestID) ?? RequestIdentifier.generate()
            let decision = configuration.policy.decide(method: head.method.rawValue, rawPath: rawPath,
                                                       headers: headers, peer: peer(context))
            let call = Call(head: head, headers: headers, rawPath: rawPath, query: query, requestID: requestID,
                            decision: decision)
            state = .call(call)
            // A body declared over the limit is refused at once, not read to its end.
            if case .refuse(.payloadTooLarge, _, _) = decision { refuseUnread(call) }
        case (.body(var chunk), .call(let call)):
            guard case .forward = call.decision else { return }
            if (call.body?.readableBytes ?? 0) + chunk.readableBytes > configuration.policy.maxBodyBytes {
                call.body = nil
                refuseUnread(call)
            } else {
                call.body = call.body ?? context.channel.allocator.buffer(capacity: chunk.readableBytes)
                call.body!.writeBuffer(&chunk)
            }
        case (.end, .call(let call)):
            switch call.decision {
            case .refuse(let code, let message, let headers):
                answerError(call, code, message, headers: headers)
            case .forward(let route, let client):
                forward(call, route: route, client: client)
            }
        case (.body(let chunk), .discarding):
            discarded += chunk.readableBytes
            // More than announced or than is worth reading: end the connection.
            if discarded > Self.discardLimit { context.close(promise: nil) }
        case (.end, .discarding):
            state = .idle
        case (_, .passing), (_, .idle):
            context.fireChannelRead(data)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // A client slower than the upstream: stop reading the upstream until it catches up,
        // so the answer waits in the upstream's socket rather than in memory.
        if case .call(let call) = state, let lease = call.lease {
            try? lease.channel.syncOptions?.setOption(.autoRead, value: context.channel.isWritable)
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The client left: an upstream connection mid-answer cannot be reused.
        if case .call(let call) = state {
            call.timeout?.cancel()
            if let lease = call.lease {
                lease.connection.listener = nil
                lease.channel.close(promise: nil)
            }
            state = .idle
        }
        context.fireChannelInactive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), case .passing = state { state = .idle }
        context.write(data, promise: promise)
    }

    // MARK: UpstreamListener

    func upstreamReceived(_ part: HTTPClientResponsePart) {
        guard let context, case .call(let call) = state else { return }
        switch part {
        case .head(let head):
            call.answering = true
            call.upstreamKeepsConnection = head.isKeepAlive
            let headers = ProxyHeaders.downstreamResponse(from: head.headers, security: configuration.security,
                                                          requestID: call.requestID)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: call.version, status: head.status, headers: headers))),
                          promise: nil)
            let length = head.headers.first(name: "content-length").flatMap(Int.init)
            log(call, status: Int(head.status.code), bytes: length)
        case .body(let chunk):
            context.write(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
        case .end:
            call.timeout?.cancel()
            if let lease = call.lease {
                call.lease = nil
                if call.upstreamKeepsConnection, let pool = configuration.pools?.pool(for: context.eventLoop) {
                    pool.release(lease)
                } else {
                    lease.connection.listener = nil
                    lease.channel.close(promise: nil)
                }
            }
            finish(call, context: context)
        }
    }

    func upstreamReadComplete() {
        context?.flush()
    }

    func upstreamFailed(_ error: any Error) {
        guard let context, case .call(let call) = state else { return }
        let lease = call.lease
        if let lease {
            call.lease = nil
            lease.connection.listener = nil
            lease.channel.close(promise: nil)
        }
        // A kept-alive connection the upstream closed while it sat idle fails before any
        // answer: a GET (which cannot have changed anything) goes again on a fresh one.
        let connectionDropped = error is IOError || { if case UpstreamError.closedEarly = error { true } else { false } }()
        if let lease, lease.reused, connectionDropped, !call.answering, !call.retried,
           call.method == .GET, let head = call.upstreamHead, let pool = configuration.pools?.pool(for: context.eventLoop) {
            call.retried = true
            send(call, head: head, pool: pool)
            return
        }
        call.timeout?.cancel()
        if call.answering {
            // Part of the answer is out: closing is the only honest end.
            state = .idle
            context.close(promise: nil)
            return
        }
        configuration.logger.warning("upstream call failed", metadata: [
            "path": "\(call.rawPath)", "error": "\(String(reflecting: error))", "request.id": "\(call.requestID)",
        ])
        let failure = UpstreamFailure.classify(error)
        answerError(call, failure.code, failure.message, headers: [])
    }
}

private extension ConnectForwarder {
    func peer(_ context: ChannelHandlerContext) -> String? {
        if let peerAddress { return peerAddress }
        let address = context.channel.remoteAddress?.ipAddress
        peerAddress = .some(address)
        return address
    }

    func forward(_ call: Call, route: ConnectRoute, client: ClientAddress) {
        guard let context else { return }
        guard let pools = configuration.pools, let pool = pools.pool(for: context.eventLoop) else {
            answerError(call, .badGateway, UpstreamFailure.notConfigured, headers: [])
            return
        }
        call.timeout = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.timeout) { [weak self] in
            self?.upstreamFailed(UpstreamError.timedOut)
        }
        var target = pools.address.basePath + route.path
        if let query = call.query { target += "?" + query }
        let hasBody = call.method == .POST || (call.body?.readableBytes ?? 0) > 0
        let head = HTTPRequestHead(
            version: .http1_1, method: call.method, uri: target,
            headers: ProxyHeaders.upstreamRequest(from: call.headers, client: client, requestID: call.requestID,
                                                  host: pools.address.hostHeader,
                                                  bodyLength: hasBody ? call.body?.readableBytes ?? 0 : nil))
        call.upstreamHead = head
        send(call, head: head, pool: pool)
    }

    func send(_ call: Call, head: HTTPRequestHead, pool: UpstreamPool) {
        pool.acquire().assumeIsolated().whenComplete { [weak self] result in
            guard let self, case .call(let current) = self.state, current === call else {
                if case .success(let lease) = result { pool.release(lease) }
                return
            }
            switch result {
            case .failure(let error):
                self.upstreamFailed(error)
            case .success(let lease):
                call.lease = lease
                lease.connection.listener = self
                lease.channel.write(HTTPClientRequestPart.head(head), promise: nil)
                if let body = call.body { lease.channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
                lease.channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            }
        }
    }

    /// Answers a body over the limit at once. The rest of a body of up to
    /// ``discardLimit`` is read and dropped, so the connection can carry the next request;
    /// a client declaring more is told `Connection: close` and the connection closes once
    /// the answer has left, rather than reading megabytes to throw away.
    func refuseUnread(_ call: Call) {
        guard let context else { return }
        let declared = call.headers.contentLength.flatMap { Int($0) } ?? 0
        if declared > Self.discardLimit {
            answerError(call, .payloadTooLarge, nil, headers: [("Connection", "close")]) { written in
                written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            }
        } else {
            answerError(call, .payloadTooLarge, nil, headers: [])
        }
        state = .discarding
        discarded = 0
    }

    func answerError(_ call: Call, _ code: ErrorCode, _ message: String?, headers extra: [(String, String)],
                     then: (EventLoopFuture<Void>) -> Void = { _ in }) {
        guard let context else { return }
        call.timeout?.cancel()
        let body = PlainResponse.errorJSON(code, message: message)
        var headers = HTTPHeaders(configuration.security.pairs)
        headers.add(name: "X-Request-Id", value: call.requestID)
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        headers.add(name: "Cache-Control", value: "no-store")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        for (name, value) in extra { headers.add(name: name, value: value) }
        let status = HTTPResponseStatus(statusCode: code.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: call.version, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        log(call, status: code.status, bytes: body.readableBytes)
        then(finish(call, context: context))
    }

    @discardableResult
    func finish(_ call: Call, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        state = .idle
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        return written.futureResult
    }

    func log(_ call: Call, status: Int, bytes: Int?) {
        configuration.accessLog.record(method: call.method.rawValue, rawPath: call.rawPath, query: call.query,
                                       status: status, bytes: bytes, started: call.started, requestID: call.requestID)
    }
}

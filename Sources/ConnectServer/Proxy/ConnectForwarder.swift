import ConnectAPI
import Logging
import NIOCore
import NIOHTTP1

/// The proxy: takes every `/v1` request off the client's connection, refuses what the
/// ``ProxyPolicy`` refuses in the contract's error shape (at once, without reading a body
/// it will not use), and forwards the rest to the upstream over a kept-alive connection of
/// the same event loop, streaming the answer back as it arrives. Requests outside `/v1`
/// pass on. What to do is ``ProxyCallStateMachine``'s decision; this class owns the
/// lease and the timer and carries the actions out.
///
/// Requests reach it one at a time: ``RequestSequencer`` holds a connection's next request
/// until the answer to the current one has ended.
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

    private let configuration: Configuration
    private var machine: ProxyCallStateMachine
    private var context: ChannelHandlerContext?
    private var lease: UpstreamLease?
    private var timeout: Scheduled<Void>?
    private var started = NIODeadline.now()
    /// The call's route and client, for the log and the metrics; `.refused` until the
    /// policy forwards it.
    private var route = RouteLabel.refused
    private var client: String?
    /// When the call went upstream (again, on a retry).
    private var sent: NIODeadline?
    /// Why the upstream connection failed, for an abort that follows.
    private var upstreamError: (any Error)?
    /// The TCP peer's address, looked up once per connection (the lookup formats a string).
    private var peerAddress: String??

    init(_ configuration: Configuration) {
        self.configuration = configuration
        machine = ProxyCallStateMachine(maxBodyBytes: configuration.policy.maxBodyBytes, upstream: configuration.pools?.address)
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let action: ProxyCallStateMachine.Action
        switch unwrapInboundIn(data) {
        case .head(let head):
            started = .now()
            (route, client, sent, upstreamError) = (.refused, nil, nil, nil)
            action = machine.requestHead(head, requestID: RequestIdentifier.generate) { rawPath, headers in
                let decision = configuration.policy.decide(method: head.method.rawValue, rawPath: rawPath, headers: headers,
                                                           peer: peer(context))
                if case .forward(let route, let client) = decision { (self.route, self.client) = (RouteLabel(route), client.client) }
                return decision
            }
        case .body(let chunk):
            action = machine.requestBody(chunk)
        case .end:
            action = machine.requestEnd()
        }
        if case .pass = action { context.fireChannelRead(data) } else { perform(action) }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // A client slower than the upstream: stop reading the upstream until it catches up,
        // so the answer waits in the upstream's socket rather than in memory.
        if let lease { try? lease.channel.syncOptions?.setOption(.autoRead, value: context.channel.isWritable) }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(machine.clientClosed())
        context.fireChannelInactive()
    }

    // MARK: UpstreamListener

    func upstreamReceived(_ part: HTTPClientResponsePart) {
        switch part {
        case .head(let head): perform(machine.upstreamHead(head))
        case .body(let chunk): perform(machine.upstreamBody(chunk))
        case .end: perform(machine.upstreamEnd())
        }
    }

    func upstreamReadComplete() {
        context?.flush()
    }

    func upstreamFailed(_ error: any Error) {
        // The connection is gone already; nothing goes back to the pool.
        lease = nil
        upstreamError = error
        perform(machine.upstreamFailed(error))
    }
}

private extension ConnectForwarder {
    func peer(_ context: ChannelHandlerContext) -> String? {
        if let peerAddress { return peerAddress }
        let address = context.channel.remoteAddress?.ipAddress
        peerAddress = .some(address)
        return address
    }

    var pool: UpstreamPool? {
        guard let context else { return nil }
        return configuration.pools?.pool(for: context.eventLoop)
    }

    func perform(_ action: ProxyCallStateMachine.Action) {
        guard let context else { return }
        switch action {
        case .none, .pass:
            break
        case .refuse(let request, let answer):
            write(answer, for: request, context: context)
        case .connect:
            connect(context)
        case .send(let head, let body):
            guard let lease else { return }
            sent = .now()
            lease.connection.lend(to: self)
            lease.channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body { lease.channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
            lease.channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        case .returnLease:
            if let lease { pool?.discard(lease) }
            lease = nil
        case .forwardHead(let request, let upstream):
            let headers = ProxyHeaders.downstreamResponse(from: upstream.headers, security: configuration.security,
                                                          requestID: request.requestID)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: upstream.status, headers: headers))),
                          promise: nil)
            log(request, status: Int(upstream.status.code), bytes: upstream.headers.first(name: "content-length").flatMap(Int.init))
        case .forwardBody(let chunk):
            context.write(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
        case .finish(let keepAlive):
            endCall()
            countUpstream(.ok)
            if let lease { pool?.release(lease, keepAlive: keepAlive) }
            lease = nil
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .fail(let request, let answer, let reason):
            endCall()
            countUpstream(UpstreamOutcome(reason))
            if let lease { pool?.discard(lease) }
            lease = nil
            configuration.logger.warning("upstream call failed", metadata: [
                "path": "\(Redaction.target(path: request.rawPath, query: nil))", "error": "\(String(reflecting: reason))", "request.id": "\(request.requestID)",
            ])
            write(answer, for: request, context: context)
        case .abort:
            endCall()
            // Cut short mid-answer: by the upstream (counted), or by the client (not the upstream's doing).
            if let upstreamError { countUpstream(UpstreamOutcome(upstreamError)) }
            if let lease { pool?.discard(lease) }
            lease = nil
            context.close(promise: nil)
        }
    }

    func connect(_ context: ChannelHandlerContext) {
        guard let pool else {
            perform(machine.upstreamFailed(UpstreamError.notConfigured))
            return
        }
        if timeout == nil {
            timeout = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.timeout) { [weak self] in
                guard let self else { return }
                self.timeout = nil
                self.perform(self.machine.timedOut())
            }
        }
        pool.acquire().assumeIsolated().whenComplete { [weak self] result in
            guard let self else {
                if case .success(let lease) = result { pool.discard(lease) }
                return
            }
            switch result {
            case .failure(let error):
                self.perform(self.machine.upstreamFailed(error))
            case .success(let lease):
                self.lease = lease
                self.perform(self.machine.leased(reused: lease.reused))
            }
        }
    }

    /// How the call's upstream part ended, with its time since sending (none if never sent).
    func countUpstream(_ outcome: UpstreamOutcome) {
        configuration.accessLog.metrics?.upstreamCall(outcome, duration: sent.map { .now() - $0 })
    }

    func endCall() {
        timeout?.cancel()
        timeout = nil
    }

    func write(_ answer: ErrorAnswer, for request: ProxyCallStateMachine.Request, context: ChannelHandlerContext) {
        let head = answer.head(version: request.version, security: configuration.security, requestID: request.requestID)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(answer.body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        log(request, status: answer.status, bytes: answer.body.readableBytes)
    }

    func log(_ request: ProxyCallStateMachine.Request, status: Int, bytes: Int?) {
        configuration.accessLog.record(AccessRecord(method: request.method.rawValue, rawPath: request.rawPath, query: request.query,
                                                    status: status, bytes: bytes, started: started, requestID: request.requestID,
                                                    route: route, peer: context?.channel.remoteAddress, client: client,
                                                    upstreamDuration: sent.map { .now() - $0 }))
    }
}

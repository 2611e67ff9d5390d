import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A connection to the upstream, lent to one call at a time.
struct UpstreamLease {
    let channel: any Channel
    let connection: UpstreamConnection
    /// It carried an earlier call: the upstream may have closed it meanwhile.
    let reused: Bool
}

/// The kept-alive upstream connections of one event loop. A call takes one on the loop
/// of the client's connection and gives it back after a whole answer, so a proxied call
/// never hops threads (as nginx keeps its upstream connections per worker).
final class UpstreamPool {
    /// Idle connections kept per loop, as nginx's `keepalive 64`.
    static let maxIdle = 64
    /// An idle connection older than this is closed rather than reused: upstreams close
    /// idle connections too (nginx after 75 s), and a request must not race that close.
    static let idleLimit = TimeAmount.seconds(20)

    private let eventLoop: any EventLoop
    private let address: UpstreamAddress
    private let tls: NIOSSLContext?
    private let connectTimeout: TimeAmount
    private let connector: UpstreamConnector?
    private let metrics: ServerMetrics?
    private var idle: [(channel: any Channel, connection: UpstreamConnection, since: NIODeadline)] = []
    /// Connections made and not yet closed, idle or busy.
    private(set) var open = 0

    init(eventLoop: any EventLoop, address: UpstreamAddress, tls: NIOSSLContext?, connectTimeout: TimeAmount,
         connector: UpstreamConnector? = nil, metrics: ServerMetrics? = nil) {
        self.eventLoop = eventLoop
        self.address = address
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.connector = connector
        self.metrics = metrics
    }

    /// Idle and busy connections now: busy ones are open and not in the pool.
    var counts: (idle: Int, busy: Int) { (idle.count, max(0, open - idle.count)) }

    /// An idle connection, or a new one.
    func acquire() -> EventLoopFuture<UpstreamLease> {
        let now = NIODeadline.now()
        while let last = idle.popLast() {
            if last.channel.isActive, now - last.since < Self.idleLimit {
                return eventLoop.makeSucceededFuture(UpstreamLease(channel: last.channel, connection: last.connection, reused: true))
            }
            last.channel.close(promise: nil)
        }
        return connect()
    }

    /// Takes back a connection whose answer was read to its end. It goes back to the pool
    /// only once the read that ended the answer is over and showed nothing more
    /// (``UpstreamConnection``); until then no other call can lease it.
    /// - Parameter keepAlive: The answer let the connection be used again.
    func release(_ lease: UpstreamLease, keepAlive: Bool) {
        // A slow client may have paused reading; the next call starts afresh.
        try? lease.channel.syncOptions?.setOption(.autoRead, value: true)
        lease.connection.release(keepAlive: keepAlive) { [self] clean in
            guard clean, lease.channel.isActive, idle.count < Self.maxIdle else {
                lease.channel.close(promise: nil)
                return
            }
            idle.append((lease.channel, lease.connection, .now()))
        }
    }

    /// Ends a connection a call can no longer use (its answer was cut short or refused).
    func discard(_ lease: UpstreamLease) {
        lease.connection.listener = nil
        lease.channel.close(promise: nil)
    }

    func closeAll() {
        for entry in idle { entry.channel.close(promise: nil) }
        idle.removeAll()
    }

    private func connect() -> EventLoopFuture<UpstreamLease> {
        let made: EventLoopFuture<any Channel>
        if let connector {
            made = connector(eventLoop)
        } else {
            let tls = self.tls
            let hostname = address.host.contains(":") || address.host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : address.host
            made = ClientBootstrap(group: eventLoop)
                .connectTimeout(connectTimeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: hostname))
                        }
                        try Self.addHandlers(to: channel)
                    }
                }
                .connect(host: address.host, port: address.port)
        }
        return made.assumeIsolated().flatMapThrowing { channel in
            let connection = try channel.pipeline.syncOperations.handler(type: UpstreamConnection.self)
            self.opened(channel)
            return UpstreamLease(channel: channel, connection: connection, reused: false)
        }.nonisolated()
    }

    /// Counts a new connection until it closes, whoever closes it.
    private func opened(_ channel: any Channel) {
        open += 1
        metrics?.connectionsOpened.increment()
        channel.closeFuture.assumeIsolated().whenComplete { [self] _ in
            open -= 1
            if let index = idle.firstIndex(where: { $0.channel === channel }) { idle.remove(at: index) }
            metrics?.connectionsClosed.increment()
        }
    }

    /// The handlers of an upstream connection, after TLS: the raw-read watch, NIO's HTTP/1
    /// client codec, and the connection's own handler.
    static func addHandlers(to channel: any Channel) throws {
        let connection = UpstreamConnection()
        try channel.pipeline.syncOperations.addHandler(UpstreamReadWatch(connection))
        try channel.pipeline.syncOperations.addHTTPClientHandlers()
        try channel.pipeline.syncOperations.addHandler(connection)
    }
}

/// Makes an upstream connection with ``UpstreamPool/addHandlers(to:)`` in place; tests hand
/// in `EmbeddedChannel`s with it.
typealias UpstreamConnector = @Sendable (any EventLoop) -> EventLoopFuture<any Channel>

/// One ``UpstreamPool`` per event loop of the server, made at start.
final class UpstreamPools: Sendable {
    let address: UpstreamAddress
    private let pools: [ObjectIdentifier: NIOLoopBoundBox<UpstreamPool>]

    /// - Throws: When the TLS context for an https upstream cannot be made.
    init(address: UpstreamAddress, group: any EventLoopGroup, connectTimeout: TimeAmount, connector: UpstreamConnector? = nil,
         metrics: ServerMetrics? = nil) throws {
        self.address = address
        let tls = address.tls ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        var pools: [ObjectIdentifier: NIOLoopBoundBox<UpstreamPool>] = [:]
        for loop in group.makeIterator() {
            pools[ObjectIdentifier(loop)] = NIOLoopBoundBox.makeBoxSendingValue(
                UpstreamPool(eventLoop: loop, address: address, tls: tls, connectTimeout: connectTimeout, connector: connector,
                             metrics: metrics),
                eventLoop: loop)
        }
        self.pools = pools
    }

    /// The pool of `eventLoop`; call on that loop.
    func pool(for eventLoop: any EventLoop) -> UpstreamPool? {
        pools[ObjectIdentifier(eventLoop)]?.value
    }

    /// Idle and busy connections of every loop, asked on each loop.
    func counts() async -> (idle: Int, busy: Int) {
        var total = (idle: 0, busy: 0)
        for pool in pools.values {
            if let counts = try? await pool.eventLoop.submit({ pool.value.counts }).get() {
                total.idle += counts.idle
                total.busy += counts.busy
            }
        }
        return total
    }

    /// Closes every idle connection (at shutdown).
    func closeAll() async {
        for pool in pools.values {
            try? await pool.eventLoop.submit { pool.value.closeAll() }.get()
        }
    }
}

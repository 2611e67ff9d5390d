import CoreMetrics
import NIOConcurrencyHelpers
import NIOCore
import Prometheus

/// The server's metrics, in Prometheus' text format at `/metrics` on `--metrics-port`.
///
/// Recorded through swift-metrics' types with a factory of this server's own registry
/// (``PrometheusFactory``). Every label has a bounded set of values (``RouteLabel``, a status
/// code, ``UpstreamOutcome``), so the number of series stays small whatever clients send.
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusFactory
    private let requests = NIOLockedValueBox<[RequestKey: CoreMetrics.Counter]>([:])
    private let staticDuration: CoreMetrics.Timer
    private let proxyDuration: CoreMetrics.Timer
    private let upstreamDuration: CoreMetrics.Timer
    private let upstreamCalls: [UpstreamOutcome: CoreMetrics.Counter]
    let connectionsOpened: CoreMetrics.Counter
    let connectionsClosed: CoreMetrics.Counter
    private let idleConnections: Meter
    private let busyConnections: Meter
    private let reloadsSucceeded: CoreMetrics.Counter
    private let reloadsFailed: CoreMetrics.Counter
    private let ready: Meter
    private let files: Meter

    private struct RequestKey: Hashable {
        let route: RouteLabel
        let status: Int
    }

    /// The names and help texts, in one table: ``PrometheusFactory`` writes the `# HELP` lines.
    enum Name {
        static let requests = "connect_requests_total"
        static let requestDuration = "connect_request_duration_seconds"
        static let upstreamCalls = "connect_upstream_calls_total"
        static let upstreamDuration = "connect_upstream_duration_seconds"
        static let connections = "connect_upstream_connections"
        static let connectionsOpened = "connect_upstream_connections_opened_total"
        static let connectionsClosed = "connect_upstream_connections_closed_total"
        static let reloads = "connect_manifest_reloads_total"
        static let ready = "connect_ready"
        static let files = "connect_site_files"

        static let help = [
            requests: "Requests answered, by route (static, health, development, refused, or the proxied route's name) and status.",
            requestDuration: "Time from a request's head to its answer's head, by class (static or proxy).",
            upstreamCalls: "Upstream calls by outcome: ok, timeout, refused, reset or bad_answer.",
            upstreamDuration: "Time from sending an upstream call to its answer's end or its failure.",
            connections: "Upstream connections now, by state: idle in the pool or busy with a call.",
            connectionsOpened: "Upstream connections opened.",
            connectionsClosed: "Upstream connections closed, by either side.",
            reloads: "Manifest loads after the start, by result (ok, or failed and the previous site kept).",
            ready: "1 when /healthz reports ready, else 0.",
            files: "URLs the manifest in service lists.",
        ]
    }

    public init() {
        let factory = PrometheusFactory(registry: registry, help: Name.help, buckets: [:])
        self.factory = factory
        staticDuration = Timer(label: Name.requestDuration, dimensions: [("class", "static")], factory: factory)
        proxyDuration = Timer(label: Name.requestDuration, dimensions: [("class", "proxy")], factory: factory)
        upstreamDuration = Timer(label: Name.upstreamDuration, factory: factory)
        var calls: [UpstreamOutcome: CoreMetrics.Counter] = [:]
        for outcome in UpstreamOutcome.allCases {
            calls[outcome] = Counter(label: Name.upstreamCalls, dimensions: [("outcome", outcome.rawValue)], factory: factory)
        }
        upstreamCalls = calls
        connectionsOpened = Counter(label: Name.connectionsOpened, factory: factory)
        connectionsClosed = Counter(label: Name.connectionsClosed, factory: factory)
        idleConnections = Meter(label: Name.connections, dimensions: [("state", "idle")], factory: factory)
        busyConnections = Meter(label: Name.connections, dimensions: [("state", "busy")], factory: factory)
        reloadsSucceeded = Counter(label: Name.reloads, dimensions: [("result", "ok")], factory: factory)
        reloadsFailed = Counter(label: Name.reloads, dimensions: [("result", "failed")], factory: factory)
        ready = Meter(label: Name.ready, factory: factory)
        files = Meter(label: Name.files, factory: factory)
    }

    /// One answered request.
    func request(_ route: RouteLabel, status: Int, duration: TimeAmount) {
        let key = RequestKey(route: route, status: status)
        let counter = requests.withLockedValue { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: Name.requests, dimensions: [("route", route.rawValue), ("status", String(status))],
                                  factory: factory)
            counters[key] = counter
            return counter
        }
        counter.increment()
        switch route {
        case .site: staticDuration.recordNanoseconds(duration.nanoseconds)
        case .health, .development: break
        default: proxyDuration.recordNanoseconds(duration.nanoseconds)
        }
    }

    /// One upstream call's end; `duration` is nil when it never reached the upstream.
    func upstreamCall(_ outcome: UpstreamOutcome, duration: TimeAmount?) {
        upstreamCalls[outcome]?.increment()
        if let duration { upstreamDuration.recordNanoseconds(duration.nanoseconds) }
    }

    func manifestReloaded(succeeded: Bool) {
        (succeeded ? reloadsSucceeded : reloadsFailed).increment()
    }

    /// The values read at scrape time rather than counted as they change.
    func snapshot(idleConnections idle: Int, busyConnections busy: Int, ready isReady: Bool, files count: Int) {
        idleConnections.set(idle)
        busyConnections.set(busy)
        ready.set(isReady ? 1 : 0)
        files.set(count)
    }

    /// The text exposition, version 0.0.4.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}

import Hummingbird
import Logging
import NIOCore

/// `GET /metrics` on a listener of its own (`--metrics-port`, on loopback unless
/// `--metrics-host` says otherwise), so that the numbers are never on the public port.
/// Before each scrape it reads what is a state rather than a count: the upstream
/// connections and the readiness.
struct MetricsEndpoint: Sendable {
    let metrics: ServerMetrics
    let readiness: Readiness
    let pools: UpstreamPools?
    let store: SiteStore

    /// Prometheus' text format.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func application(host: String, port: Int, logger: Logger,
                     onListening: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ in try await self.scrape() }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil),
                           onServerRunning: { await onListening($0.localAddress?.port ?? 0) }, logger: logger)
    }

    func scrape() async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = Self.contentType
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: await exposition())))
    }

    /// The metrics now, in the text format.
    func exposition() async -> [UInt8] {
        let connections = await pools?.counts() ?? (idle: 0, busy: 0)
        let ready = await readiness.report().ready
        metrics.snapshot(idleConnections: connections.idle, busyConnections: connections.busy, ready: ready,
                         files: store.current.fileCount)
        return metrics.exposition()
    }
}

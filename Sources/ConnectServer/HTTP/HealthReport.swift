import Foundation
import Hummingbird

/// The body of `GET /healthz`, the readiness check a load balancer asks:
/// `{"alive":true,"files":42,"problems":[],"ready":true,"status":"ok","upstream":"http://..."}`,
/// with 200 when ready and 503 when not. `GET /healthz/live` answers 200 for as long as
/// the process serves, for a supervisor that restarts what is dead, not what is waiting.
struct HealthReport: Codable, Sendable {
    /// "ok" when ready, "unavailable" when not.
    var status: String
    var alive = true
    var ready: Bool
    /// Why it is not ready, for the operator; empty when it is.
    var problems: [String]
    /// URLs the manifest in service lists.
    var files: Int
    /// The upstream setting, without any credentials in its URL; nil when none is set.
    var upstream: String?

    init(problems: [String], files: Int, upstream: String?) {
        self.problems = problems
        ready = problems.isEmpty
        status = problems.isEmpty ? "ok" : "unavailable"
        self.files = files
        self.upstream = upstream
    }

    /// Writes `"upstream": null` rather than leaving the key out, so a check can tell.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(alive, forKey: .alive)
        try container.encode(ready, forKey: .ready)
        try container.encode(problems, forKey: .problems)
        try container.encode(files, forKey: .files)
        try container.encode(upstream, forKey: .upstream)
    }

    func response(security: SecurityHeaders) -> Response {
        Self.json(self, status: ready ? .ok : .serviceUnavailable, security: security)
    }

    /// `/healthz/live`: the process answers, so it is alive.
    static func alive(security: SecurityHeaders) -> Response {
        json(["status": "alive"], status: .ok, security: security)
    }

    private static func json(_ value: some Encodable, status: HTTPResponse.Status, security: SecurityHeaders) -> Response {
        var headers = security.fields
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data()
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// What makes a replica ready: the newest manifest is in service, and the upstream accepts
/// connections. One place, asked by `/healthz` and by the metrics' `connect_ready`.
struct Readiness: Sendable {
    let store: SiteStore
    /// Nil when no upstream is configured: then the proxy answers 502 and it is never ready.
    let probe: UpstreamProbe?
    let upstreamSetting: String?

    func report() async -> HealthReport {
        var problems: [String] = []
        if let problem = store.problem { problems.append("the newest manifest did not load, so an older build is served: \(problem)") }
        if let probe {
            if await !probe.acceptsConnections() { problems.append("the upstream does not accept connections") }
        } else {
            problems.append("no upstream is configured: start connect-server with --upstream URL")
        }
        return HealthReport(problems: problems, files: store.current.fileCount, upstream: upstreamSetting)
    }
}

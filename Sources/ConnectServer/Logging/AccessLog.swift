import Logging
import NIOCore

/// What every path of the server records about a request, built the same way by the
/// channel handlers and the Hummingbird responder: one line of the access log and the
/// request's metrics.
struct AccessRecord {
    var method: String
    /// The path as it arrived; ``Redaction`` cleans it when the line is written.
    var rawPath: Substring
    var query: Substring?
    var status: Int
    /// The body's length; nil for a streamed body of unknown length.
    var bytes: Int?
    var started: NIODeadline
    var requestID: String
    /// Which part of the server answered.
    var route: RouteLabel
    /// The TCP peer; formatted only when a line is written.
    var peer: SocketAddress? = nil
    /// The client a trusted proxy named (``ClientAddress``), which wins over the peer.
    var client: String? = nil
    /// From sending the upstream call to its answer's head (or its failure).
    var upstreamDuration: TimeAmount? = nil
}

/// Writes one line per request and counts it in the metrics. Never a header value, a
/// cookie or a body: this is the one place that logs requests, so it is the one place that
/// has to get redaction right, for both formats.
///
/// A text line looks like `GET /connect/?token=REDACTED 200 5120B 0.21ms id=4b1f...`; a JSON
/// line carries the same values as fields (``JSONLogHandler``). The duration runs to the
/// response head; a streamed body's length shows as `-` (no `bytes` field in JSON).
public struct AccessLog: Sendable {
    public let logger: Logger
    let format: LogFormat
    let metrics: ServerMetrics?

    public init(logger: Logger, format: LogFormat = .text, metrics: ServerMetrics? = nil) {
        self.logger = logger
        self.format = format
        self.metrics = metrics
    }

    /// Records a request. When the log level hides `info` lines and no metrics are kept,
    /// nothing is built.
    func record(_ record: @autoclosure () -> AccessRecord) {
        let logs = logger.logLevel <= .info
        guard logs || metrics != nil else { return }
        let record = record()
        let duration = NIODeadline.now() - record.started
        metrics?.request(record.route, status: record.status, duration: duration)
        guard logs else { return }
        let target = Redaction.target(path: record.rawPath, query: record.query)
        switch format {
        case .text:
            let micros = duration.nanoseconds / 1000
            var line = record.method + " " + target
            line += " \(record.status) " + (record.bytes.map { "\($0)B" } ?? "-")
            line += " \(micros / 1000).\(Self.threeDigits(micros % 1000))ms id=" + record.requestID
            logger.info("\(line)")
        case .json:
            var fields: Logger.Metadata = [
                "request_id": .string(record.requestID),
                "method": .string(record.method),
                "route": .string(record.route.rawValue),
                "target": .string(target),
                "status": .stringConvertible(record.status),
                "duration_ms": .stringConvertible(Self.milliseconds(duration)),
            ]
            if let bytes = record.bytes { fields["bytes"] = .stringConvertible(bytes) }
            if let upstream = record.upstreamDuration { fields["upstream_ms"] = .stringConvertible(Self.milliseconds(upstream)) }
            if let client = record.client ?? record.peer?.ipAddress { fields["client"] = .string(client) }
            logger.info("request", metadata: fields)
        }
    }

    /// Milliseconds with microsecond precision.
    private static func milliseconds(_ amount: TimeAmount) -> Double {
        Double(amount.nanoseconds / 1000) / 1000
    }

    private static func threeDigits(_ value: Int64) -> String {
        value < 10 ? "00\(value)" : value < 100 ? "0\(value)" : "\(value)"
    }
}

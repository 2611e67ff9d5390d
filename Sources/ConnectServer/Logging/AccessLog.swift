import Logging
import NIOCore

/// One line of the access log: what every path of the server records about a request,
/// built the same way by the channel handlers and the Hummingbird responder.
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
}

/// Writes one line per request: method, path and query (secrets redacted), status, bytes,
/// duration and request id. Never a header value, a cookie or a body: this is the one
/// place that logs requests, so it is the one place that has to get redaction right.
///
/// A line looks like `GET /connect/?token=REDACTED 200 5120B 0.21ms id=4b1f...`. The
/// duration runs to the response head; a streamed body's length shows as `-`.
public struct AccessLog: Sendable {
    public let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    /// Records a request, unless the log level hides `info` lines (then nothing is built).
    func record(_ record: @autoclosure () -> AccessRecord) {
        guard logger.logLevel <= .info else { return }
        let record = record()
        let micros = (NIODeadline.now() - record.started).nanoseconds / 1000
        var line = record.method + " " + Redaction.target(path: record.rawPath, query: record.query)
        line += " \(record.status) " + (record.bytes.map { "\($0)B" } ?? "-")
        line += " \(micros / 1000).\(Self.threeDigits(micros % 1000))ms id=" + record.requestID
        logger.info("\(line)")
    }

    private static func threeDigits(_ value: Int64) -> String {
        value < 10 ? "00\(value)" : value < 100 ? "0\(value)" : "\(value)"
    }
}

import Logging
import NIOCore

/// Writes one line per request: method, path (any token redacted), status, bytes,
/// duration and request id. Never a header value, a cookie or a body: this is the one
/// place that logs requests, so it is the one place that has to get redaction right.
///
/// A line looks like `GET /connect/?token=REDACTED 200 5120B 0.21ms id=4b1f...`. The
/// duration runs to the response head; a streamed body's length shows as `-`.
public struct AccessLog: Sendable {
    public let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    /// Records a request, unless the log level hides `info` lines (then nothing is built).
    func record(method: String, rawPath: Substring, query: Substring?, status: Int, bytes: Int?,
                started: NIODeadline, requestID: @autoclosure () -> String) {
        guard logger.logLevel <= .info else { return }
        let micros = (NIODeadline.now() - started).nanoseconds / 1000
        var line = method + " " + rawPath
        if let query { line += "?" + QueryRedaction.redact(query) }
        line += " \(status) " + (bytes.map { "\($0)B" } ?? "-")
        line += " \(micros / 1000).\(Self.threeDigits(micros % 1000))ms id=" + requestID()
        logger.info("\(line)")
    }

    private static func threeDigits(_ value: Int64) -> String {
        value < 10 ? "00\(value)" : value < 100 ? "0\(value)" : "\(value)"
    }
}

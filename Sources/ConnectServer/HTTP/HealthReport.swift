import Foundation
import Hummingbird

/// The body of `GET /healthz`: `{"files":42,"status":"ok","upstream":"http://..."}`.
struct HealthReport: Codable, Sendable {
    var status = "ok"
    /// URLs the current manifest serves.
    var files: Int
    /// The upstream setting, without any credentials in its URL; nil when none is set.
    var upstream: String?

    /// Writes `"upstream": null` rather than leaving the key out, so a check can tell.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(files, forKey: .files)
        try container.encode(upstream, forKey: .upstream)
    }

    func response(security: SecurityHeaders) -> Response {
        var headers = security.fields
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data()
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

import Foundation
import Hummingbird
import NIOCore

/// The development endpoints' answers: `{"token": "..."}` for the docs' try-it form (sandbox
/// mode only) and `{"version": "3"}` for live reload; never cached.
enum DevelopmentResponse {
    static func make(_ token: String?, security: SecurityHeaders) async -> Response {
        guard let token else { return ErrorAnswer.contract(.notFound).response(security: security, requestID: nil) }
        return json(["token": token], security: security)
    }

    static func json(_ value: [String: String], security: SecurityHeaders) -> Response {
        var headers = security.fields
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let body = (try? JSONEncoder().encode(value)) ?? Data()
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

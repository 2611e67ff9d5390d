import Foundation
import Hummingbird
import NIOCore

/// `{"token": "..."}` for the docs' try-it form, in sandbox mode only; never cached.
enum DemoTokenResponse {
    static func make(_ token: String?, security: SecurityHeaders) async -> Response {
        guard let token else { return PlainResponse.error(.notFound, headers: security.fields) }
        var headers = security.fields
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let body = (try? JSONEncoder().encode(["token": token])) ?? Data()
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

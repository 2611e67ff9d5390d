import ConnectAPI
import Foundation
import HTTPTypes
import Hummingbird

/// Small answers the server writes itself: a status line in plain text, or the contract's
/// JSON error shape.
enum PlainResponse {
    /// A `text/plain` body naming the status, with the given headers.
    static func make(_ status: HTTPResponse.Status, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "text/plain; charset=utf-8"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
        return Response(status: status, headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: "\(status.code) \(status.reasonPhrase)\n")))
    }

    /// The contract's error body, e.g. `{"error":{"code":"not_found","message":"Not Found"}}`.
    static func error(_ code: ErrorCode, message: String? = nil, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: HTTPResponse.Status(code: code.status), headers: headers,
                        body: ResponseBody(byteBuffer: errorJSON(code, message: message)))
    }

    /// The error body's bytes, keys sorted.
    static func errorJSON(_ code: ErrorCode, message: String? = nil) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return ByteBuffer(bytes: (try? encoder.encode(ErrorBody(code, message: message))) ?? Data())
    }
}

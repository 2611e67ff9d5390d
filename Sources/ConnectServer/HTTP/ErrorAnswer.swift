import ConnectAPI
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// An answer the server makes up itself, a refusal or a failure: the contract's JSON error
/// shape on `/v1`, a line of plain text elsewhere. The one place that decides its status,
/// headers and body; the channel handlers write it as NIO parts and the Hummingbird
/// responder as a `Response`, and a test holds the two forms to the same bytes.
struct ErrorAnswer {
    let status: Int
    let contentType: String
    let body: ByteBuffer
    let cacheControl: String
    /// Headers of this answer only (`Retry-After`, `Allow`, `WWW-Authenticate`, `Location`).
    let extra: [(name: String, value: String)]

    /// `{"error":{"code":"not_found","message":"Not Found"}}`, keys sorted.
    static func contract(_ code: ErrorCode, message: String? = nil, headers: [(String, String)] = []) -> ErrorAnswer {
        let body = message == nil ? defaultBodies[code]! : encode(code, message: message)
        return ErrorAnswer(status: code.status, contentType: ProxyRefusal.contentType, body: body,
                           cacheControl: CachePolicy.refusal, extra: headers.map { (name: $0.0, value: $0.1) })
    }

    /// Each code's body with its default message, encoded once: a flood of 401s or 429s
    /// costs no JSON encoding.
    private static let defaultBodies = Dictionary(uniqueKeysWithValues: ErrorCode.allCases.map { ($0, encode($0, message: nil)) })

    private static func encode(_ code: ErrorCode, message: String?) -> ByteBuffer {
        ByteBuffer(bytes: ProxyRefusal.body(code, message: message))
    }

    /// `404 Not Found` and a newline, as text.
    static func plain(_ status: HTTPResponse.Status, cacheControl: String = CachePolicy.refusal, headers: [(String, String)] = []) -> ErrorAnswer {
        ErrorAnswer(status: status.code, contentType: "text/plain; charset=utf-8",
                    body: ByteBuffer(string: "\(status.code) \(status.reasonPhrase)\n"), cacheControl: cacheControl,
                    extra: headers.map { (name: $0.0, value: $0.1) })
    }

    /// The header lines in the order they are sent.
    func headerPairs(security: SecurityHeaders, requestID: String?) -> [(name: String, value: String)] {
        var pairs = security.pairs
        if let requestID { pairs.append(("X-Request-Id", requestID)) }
        pairs.append(("Content-Type", contentType))
        pairs.append(("Cache-Control", cacheControl))
        pairs.append(("Content-Length", String(body.readableBytes)))
        pairs.append(contentsOf: extra)
        return pairs
    }

    /// The head for a channel handler, framed for the client's HTTP version.
    func head(version: HTTPVersion, security: SecurityHeaders, requestID: String?) -> HTTPResponseHead {
        HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status),
                         headers: HTTPHeaders(headerPairs(security: security, requestID: requestID)))
    }

    /// The same answer for the Hummingbird responder.
    func response(security: SecurityHeaders, requestID: String?, isHead: Bool = false) -> Response {
        var fields = HTTPFields()
        for (name, value) in headerPairs(security: security, requestID: requestID) {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        let status = HTTPResponse.Status(code: status)
        return isHead ? Response(status: status, headers: fields) : Response(status: status, headers: fields, body: ResponseBody(byteBuffer: body))
    }
}

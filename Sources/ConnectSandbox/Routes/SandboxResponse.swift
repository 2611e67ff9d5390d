import ConnectAPI
import Foundation
import HTTPTypes
import Hummingbird

/// The sandbox's answers: JSON bodies, the contract's error shape, and its HTML pages.
enum SandboxResponse {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let bytes = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Hummingbird's refusals (no route, a body past its limit), in the contract's shape.
    static func error(for error: HTTPError) -> Response {
        switch error.status {
        case .notFound, .methodNotAllowed: SandboxResponse.error(.notFound)
        case .contentTooLarge: SandboxResponse.error(.payloadTooLarge)
        default: SandboxResponse.error(.badRequest)
        }
    }

    static func error(_ code: ErrorCode, details: [String: String]? = nil) -> Response {
        var response = json(ErrorBody(code, details: details), status: HTTPResponse.Status(code: code.status))
        if code == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }

    static let pagePolicy = "default-src 'none'; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// A page of the sandbox's own, under a CSP as strict as the site's.
    static func page(_ html: String, status: HTTPResponse.Status = .ok, policy: String = pagePolicy) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = policy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "no-referrer"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}

/// The bearer credential of a request, if it has one.
extension Request {
    var bearer: String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}

/// Unmatched paths and methods answer in the contract's error shape, not Hummingbird's.
struct ContractErrors<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            return SandboxResponse.error(for: error)
        }
    }
}

import AsyncHTTPClient
import ConnectAPI
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Forwards the contract's `/v1/connect/*` calls to the upstream, and answers every
/// other `/v1/` call, and every refused one, itself in the contract's error shape.
struct ConnectProxy: Sendable {
    /// The upstream's base URL without a trailing slash, nil when none is configured.
    let upstream: String?
    let client: HTTPClient?
    let timeout: TimeAmount
    let maxBodyBytes: Int
    let rateLimiter: RateLimiter
    let trustedProxies: Set<String>
    let security: SecurityHeaders
    let logger: Logger

    /// - Parameters:
    ///   - rawPath: The path as it arrived.
    ///   - query: The query as it arrived, forwarded verbatim.
    ///   - peer: The TCP peer's IP address.
    ///   - requestID: The request's id, already accepted or generated.
    func respond(to request: Request, rawPath: Substring, query: Substring?, peer: String?,
                 requestID: String) async -> Response {
        var headers = security.fields
        headers[.xRequestID] = requestID
        func refuse(_ code: ErrorCode, _ message: String? = nil) -> Response {
            PlainResponse.error(code, message: message, headers: headers)
        }
        // Both framings at once is how requests are smuggled past a proxy.
        if request.headers[.contentLength] != nil, request.headers[.transferEncoding] != nil {
            return refuse(.badRequest, "Content-Length and Transfer-Encoding must not both be sent.")
        }
        guard case .path(let path) = RequestPath.decode(rawPath),
              let route = ConnectRoute.match(method: request.method.rawValue, path: path) else {
            return refuse(.notFound)
        }
        let client = ClientAddress(peer: peer, forwardedFor: request.headers[.xForwardedFor], trusted: trustedProxies)
        if case .limited(let seconds) = rateLimiter.acquire(client: client.client) {
            headers[.retryAfter] = String(seconds)
            return refuse(.tooManyRequests)
        }
        guard Self.hasBearer(request.headers[values: .authorization]) else {
            headers[.wwwAuthenticate] = "Bearer"
            return refuse(.unauthorized)
        }
        if let declared = request.headers[.contentLength], (Int(declared) ?? .max) > maxBodyBytes {
            return refuse(.payloadTooLarge)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch {
            return refuse(.payloadTooLarge)
        }
        guard let upstream, let httpClient = self.client else {
            return refuse(.badGateway, UpstreamFailure.notConfigured)
        }
        var outgoing = HTTPClientRequest(url: upstream + route.path + (query.map { "?" + $0 } ?? ""))
        outgoing.method = .init(rawValue: request.method.rawValue)
        outgoing.headers = ProxyHeaders.upstreamRequest(from: request, client: client, requestID: requestID)
        if body.readableBytes > 0 { outgoing.body = .bytes(body) }
        do {
            let answer = try await httpClient.execute(outgoing, timeout: timeout)
            let fields = ProxyHeaders.downstreamResponse(from: answer.headers, security: security, requestID: requestID)
            let length = answer.headers.first(name: "content-length").flatMap(Int.init)
            let stream = answer.body
            return Response(
                status: HTTPResponse.Status(code: Int(answer.status.code)),
                headers: fields,
                body: ResponseBody(contentLength: length) { writer in
                    for try await chunk in stream { try await writer.write(chunk) }
                    try await writer.finish(nil)
                }
            )
        } catch {
            let failure = UpstreamFailure.classify(error)
            logger.warning("upstream call failed", metadata: [
                "route": "\(route.path)", "error": "\(String(reflecting: type(of: error)))", "request.id": "\(requestID)",
            ])
            return refuse(failure.code, failure.message)
        }
    }

    /// Exactly one `Authorization` header, `Bearer` (any case) and a non-empty token.
    static func hasBearer(_ values: [String]) -> Bool {
        guard values.count == 1, let value = values.first, value.utf8.count > 7 else { return false }
        let scheme = value.prefix(7)
        guard scheme.equalsLowercased("bearer ") else { return false }
        return !value.dropFirst(7).trimmingOptionalWhitespace().isEmpty
    }
}

import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The server's one responder below the channel's fast paths: `/healthz`, the development
/// routes, and the site's less common answers (ranges, redirects, 404s, files on disk).
/// A hand-written dispatch instead of a router: a few prefixes need no trie.
///
/// `/v1` never reaches it on a real connection: ``ConnectForwarder`` takes those in the
/// channel. In process (tests without sockets) it answers them as an unknown route.
public struct ConnectResponder: HTTPResponder {
    public typealias Context = ConnectRequestContext

    let store: SiteStore
    let files: StaticFileResponder
    let security: SecurityHeaders
    let accessLog: AccessLog
    let upstreamSetting: String?
    /// Development only: set in sandbox mode, nil in production (see the configuration).
    let demoToken: (@Sendable () async -> String?)?
    /// Development only: answers the live-reload script's question.
    let development: Bool

    public func respond(to request: Request, context: Context) async throws -> Response {
        let started = NIODeadline.now()
        let (rawPath, query) = RequestPath.split(target: request.head.path ?? "/")
        var requestID: String?
        let response: Response
        // Nothing below throws: every failure is already an answer with the security headers.
        if Self.isProxyPath(rawPath) {
            let id = RequestIdentifier.accept(request.headers[.xRequestID]) ?? RequestIdentifier.generate()
            requestID = id
            var headers = security.fields
            headers[.xRequestID] = id
            response = PlainResponse.error(.notFound, headers: headers)
        } else if rawPath == "/healthz" {
            response = health(request)
        } else if rawPath == "/_dev/site-version", development, request.method == .get {
            response = DevelopmentResponse.json(["version": String(store.generation)], security: security)
        } else if rawPath == "/_dev/demo-token", let demoToken, request.method == .get {
            response = await DevelopmentResponse.make(await demoToken(), security: security)
        } else {
            response = site(request, rawPath: rawPath, query: query)
        }
        accessLog.record(method: request.method.rawValue, rawPath: rawPath, query: query,
                         status: response.status.code, bytes: response.body.contentLength, started: started,
                         requestID: requestID ?? RequestIdentifier.accept(request.headers[.xRequestID]) ?? context.id)
        return response
    }
}

extension ConnectResponder {
    /// Paths under `/v1`: the proxy's, answered in the contract's error shape when refused.
    static func isProxyPath(_ rawPath: Substring) -> Bool {
        rawPath.hasPrefix("/v1/") || rawPath == "/v1"
    }

    /// Paths answered from the site's files: all but the proxy's, `/healthz` and `/_dev/`.
    static func isSitePath(_ rawPath: Substring) -> Bool {
        !isProxyPath(rawPath) && rawPath != "/healthz" && !rawPath.hasPrefix("/_dev/")
    }
}

private extension ConnectResponder {
    func site(_ request: Request, rawPath: Substring, query: Substring?) -> Response {
        let site = store.current
        switch RequestPath.decode(rawPath) {
        case .path(let path):
            return files.respond(site: site, path: path, rawPath: rawPath, query: query, request: request)
        case .notFound:
            return files.notFound(site: site, request: request)
        case .badRequest:
            return PlainResponse.make(.badRequest, headers: security.fields)
        }
    }

    func health(_ request: Request) -> Response {
        guard request.method == .get || request.method == .head else {
            var headers = security.fields
            headers[.allow] = "GET, HEAD"
            return PlainResponse.make(.methodNotAllowed, headers: headers)
        }
        let report = HealthReport(files: store.current.fileCount, upstream: upstreamSetting)
        return report.response(security: security)
    }
}

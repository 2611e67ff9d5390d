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
/// Which part a path belongs to is ``RouteClass``'s decision, and its refusals are
/// ``ErrorAnswer``s, as in the channel handlers.
public struct ConnectResponder: HTTPResponder {
    public typealias Context = ConnectRequestContext

    let store: SiteStore
    let files: StaticFileResponder
    let security: SecurityHeaders
    let accessLog: AccessLog
    let readiness: Readiness
    /// Development only: set in sandbox mode, nil in production (see the configuration).
    let sandbox: (any DevelopmentSandbox)?
    /// Development only: answers the live-reload script's question.
    let development: Bool

    public func respond(to request: Request, context: Context) async throws -> Response {
        let started = NIODeadline.now()
        let (rawPath, query) = RequestPath.split(target: request.head.path ?? "/")
        // Only an answer that carries the id needs it now; the log line makes its own lazily.
        var requestID: String?
        let response: Response
        // Nothing below throws: every failure is already an answer with the security headers.
        let routeClass = RouteClass(rawPath: rawPath)
        switch routeClass {
        case .proxy:
            // Reached only in process: on a connection the channel's forwarder answers /v1.
            let id = RequestIdentifier.resolve(request.headers[.xRequestID])
            requestID = id
            response = ErrorAnswer.contract(.notFound).response(security: security, requestID: id)
        case .health:
            response = await health(request, rawPath: rawPath)
        case .development where rawPath == "/_dev/events" && development && request.method == .get:
            response = DevelopmentResponse.events(store.generations(), security: security)
        case .development where rawPath == "/_dev/site-version" && development && request.method == .get:
            response = DevelopmentResponse.json(["version": String(store.generation)], security: security)
        case .development where sandbox != nil:
            response = await DevelopmentResponse.sandbox(sandbox!, request, rawPath: rawPath, security: security)
                ?? site(request, rawPath: rawPath, query: query)
        case .development, .site:
            response = site(request, rawPath: rawPath, query: query)
        }
        accessLog.record(AccessRecord(method: request.method.rawValue, rawPath: rawPath, query: query,
                                      status: response.status.code, bytes: response.body.contentLength, started: started,
                                      requestID: requestID ?? RequestIdentifier.resolve(request.headers[.xRequestID]),
                                      route: RouteLabel(routeClass), peer: context.remoteAddress))
        return response
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
            return ErrorAnswer.plain(.badRequest).response(security: security, requestID: nil)
        }
    }

    func health(_ request: Request, rawPath: Substring) async -> Response {
        guard request.method == .get || request.method == .head else {
            return ErrorAnswer.plain(.methodNotAllowed, headers: [("Allow", "GET, HEAD")]).response(security: security, requestID: nil)
        }
        if rawPath == RouteClass.livenessPath { return HealthReport.alive(security: security) }
        return await readiness.report().response(security: security)
    }
}

import ConnectAPI
import Foundation
import HTTPTypes
import Hummingbird

/// Endpoints 1 and 2, served on each App's own base URL: `/apps/<hostname>/v1/...`
/// (``AppHostRoute``). Private Apps take one of their Access Keys as `Authorization: Bearer`;
/// public Apps none.
struct AppHostRoutes {
    let sandbox: Sandbox

    func add(to router: Router<BasicRequestContext>) {
        for route in AppHostRoute.allCases {
            router.on(RouterPath(AppHostRoute.sandboxPrefix + ":hostname" + route.path), method: HTTPRequest.Method(route.method)!) { request, context in
                try await answer(request, route: route, hostname: context.parameters.get("hostname") ?? "")
            }
        }
    }

    /// The answer to one call, whether it came through the router or in process.
    func answer(_ request: Request, route: AppHostRoute, hostname: String) async throws -> Response {
        switch route {
        case .createToken: try await createToken(request, hostname: hostname)
        case .requirementsStatus: try appStatus(request, hostname: hostname)
        }
    }

    /// Why a call to an App host endpoint is refused.
    private struct Refusal: Error {
        var code: ErrorCode
    }

    /// The App a request names and is allowed to call.
    private func authorizedApp(_ request: Request, hostname: String) throws(Refusal) -> SandboxApp {
        guard let app = sandbox.catalog.app(hostname: hostname) else {
            throw Refusal(code: .notFound)
        }
        if app.access == .private {
            guard let key = request.bearer, (app.accessKeys ?? []).contains(where: { Self.constantTimeEqual($0, key) }) else {
                throw Refusal(code: .unauthorized)
            }
        }
        return app
    }

    private func createToken(_ request: Request, hostname: String) async throws -> Response {
        let app: SandboxApp
        do { app = try authorizedApp(request, hostname: hostname) } catch { return SandboxResponse.error(error.code) }
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body)) else {
            return SandboxResponse.error(.badRequest, details: ["body": "must be a JSON object such as {\"user_id\": \"customer-7421\"}"])
        }
        guard case .string(let userID)? = fields["user_id"] else {
            return SandboxResponse.error(.badRequest, details: ["user_id": "cannot be blank"])
        }
        if let problem = EndUserID.problem(userID) { return SandboxResponse.error(.badRequest, details: ["user_id": problem]) }
        // A sandbox extension for tests of expiry: a shorter life, never a longer one.
        var lifetime = TokenIssuer.lifetime
        if let requested = fields["expires_in"] {
            guard case .number(let seconds) = requested, seconds >= 1, seconds <= TokenIssuer.lifetime else {
                return SandboxResponse.error(.badRequest, details: ["expires_in": "must be a number of seconds from 1 to 86400"])
            }
            lifetime = seconds
        }
        let issued = try await sandbox.issueToken(appID: app.id, userID: userID, lifetime: lifetime)
        return SandboxResponse.json(ResponseBodies.ConnectToken(
            token: issued.token, url: issued.url, expiresAt: issued.expiresAt.formatted(.iso8601)))
    }

    private func appStatus(_ request: Request, hostname: String) throws -> Response {
        let app: SandboxApp
        do { app = try authorizedApp(request, hostname: hostname) } catch { return SandboxResponse.error(error.code) }
        let userID = request.uri.queryParameters.get("user_id") ?? ""
        if let problem = EndUserID.problem(userID) { return SandboxResponse.error(.badRequest, details: ["user_id": problem]) }
        let fulfilled = try sandbox.store.fulfilled(appID: app.id, userID: userID)
        let unsatisfied = app.requirements.filter { !fulfilled.contains($0.id) }.map { requirement in
            ResponseBodies.Unsatisfied(id: requirement.id, type: requirement.type,
                                       form: .init(title: requirement.title, description: requirement.description),
                                       spec: requirement.spec, workflowID: app.workflowID, name: requirement.name)
        }
        return SandboxResponse.json(ResponseBodies.AppStatus(status: unsatisfied.isEmpty ? "complete" : "incomplete", unsatisfied: unsatisfied))
    }

    /// Compares keys in time that does not depend on where they differ.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

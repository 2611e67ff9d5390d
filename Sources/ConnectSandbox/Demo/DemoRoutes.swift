import ConnectAPI
import Foundation
import HTTPTypes
import Hummingbird

/// The sandbox's demo App at `/demo/`: a page that plays an App's frontend, on the sandbox's
/// own origin (another origin than the connect page's), and the two calls of its backend.
/// The backend side creates tokens and confirms completion for the first App with return
/// origins; its Access Key stays on the server, as an App's must.
struct DemoRoutes {
    let sandbox: Sandbox

    /// The App the demo plays.
    var app: SandboxApp? { sandbox.catalog.apps.first { !($0.returnOrigins ?? []).isEmpty } }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/demo/") { request, _ in
            guard let app else { return SandboxResponse.error(.notFound) }
            let page = DemoPage(appName: app.name, appID: app.id, connectPage: sandbox.options.connectPageURL)
            return SandboxResponse.page(page.html, policy: page.policy)
        }
        // Browsers ask every origin for an icon; the sandbox has none to give.
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
        router.get("/demo/demo.css") { _, _ in SandboxResponse.asset(DemoPage.stylesheet, type: "text/css; charset=utf-8") }
        router.get("/demo/demo.js") { _, _ in SandboxResponse.asset(DemoPage.script, type: "text/javascript; charset=utf-8") }
        // The App's backend: a token for the user, made with what only the server holds.
        router.post("/demo/token") { request, _ in
            guard let app, ConsentRoutes.isSameOrigin(request) else { return SandboxResponse.error(.forbidden) }
            guard let user = try await userID(request) else {
                return SandboxResponse.error(.badRequest, details: ["user_id": "must be 1 to 256 characters, no control characters"])
            }
            let issued = try await sandbox.issueToken(appID: app.id, userID: user)
            return SandboxResponse.json(["token": issued.token])
        }
        // The App's backend confirms an event with the App's own status endpoint: an event
        // is a hint, this is the answer.
        router.post("/demo/status") { request, _ in
            guard let app, ConsentRoutes.isSameOrigin(request) else { return SandboxResponse.error(.forbidden) }
            guard let user = try await userID(request) else { return SandboxResponse.error(.badRequest) }
            let fulfilled = try sandbox.store.fulfilled(appID: app.id, userID: user)
            let missing = app.requirements.filter { !fulfilled.contains($0.id) }.map(\.title)
            return SandboxResponse.json(["status": missing.isEmpty ? "complete" : "incomplete", "unsatisfied": missing.joined(separator: ", ")])
        }
    }

    private func userID(_ request: Request) async throws -> String? {
        let body = try await request.body.collect(upTo: 4 * 1024)
        guard case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body)),
              case .string(let user)? = fields["user_id"], EndUserID.problem(user) == nil else { return nil }
        return user
    }
}

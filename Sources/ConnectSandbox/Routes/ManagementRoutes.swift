import ConnectAPI
import Foundation
import Hummingbird

/// Endpoints 3 to 7, under `/v1/connect/`, authenticated by a connect token: its signature,
/// its expiry and its App are checked on every call, and anything wrong is a 401.
struct ManagementRoutes {
    let sandbox: Sandbox

    /// The App and user a valid token names.
    struct Caller {
        var app: SandboxApp
        var userID: String
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/connect/requirements") { request, _ in
            try await authorized(request) { caller in
                SandboxResponse.json(ResponseBodies.RequirementList(data: caller.app.requirements.map(\.requirement)))
            }
        }
        router.get("/v1/connect/requirements/status") { request, _ in
            try await authorized(request) { caller in
                let fulfilled = try sandbox.store.fulfilled(appID: caller.app.id, userID: caller.userID)
                let declined = try sandbox.store.declined(appID: caller.app.id, userID: caller.userID)
                return SandboxResponse.json(ResponseBodies.StatusList(data: caller.app.requirements.map {
                    let done = fulfilled.contains($0.id)
                    return .init(requirement: $0.requirement, status: done ? .completed : .pending,
                                 reason: !done && declined.contains($0.id) ? "denied" : nil)
                }))
            }
        }
        router.post("/v1/connect/requirements/:id/credentials") { request, context in
            try await authorized(request, requirement: context) { caller, requirement in
                let body = try await request.body.collect(upTo: 64 * 1024)
                return try submit(Data(buffer: body), caller: caller, requirement: requirement)
            }
        }
        router.post("/v1/connect/requirements/:id/oauth2/authorize") { request, context in
            try await authorized(request, requirement: context) { caller, requirement in
                try startOAuth2(caller: caller, requirement: requirement)
            }
        }
        router.post("/v1/connect/requirements/:id/pipedream/authorize") { request, context in
            try await authorized(request, requirement: context) { caller, requirement in
                try startAccountLink(caller: caller, requirement: requirement)
            }
        }
    }

    private func authorized(_ request: Request, _ body: (Caller) async throws -> Response) async throws -> Response {
        guard let token = request.bearer, let payload = await sandbox.tokens.verify(token) else {
            return SandboxResponse.error(.unauthorized)
        }
        // A genuine token whose App is gone (removed from sandbox.yaml since): the link is
        // fine, its App is not here. The page tells this apart from a bad link.
        guard let app = sandbox.catalog.app(id: payload.app) else { return SandboxResponse.error(.notFound) }
        return try await body(Caller(app: app, userID: payload.userID))
    }

    private func authorized(_ request: Request, requirement context: BasicRequestContext,
                            _ body: (Caller, SandboxRequirement) async throws -> Response) async throws -> Response {
        try await authorized(request) { caller in
            guard let id = context.parameters.get("id"), let requirement = caller.app.requirement(id) else {
                return SandboxResponse.error(.notFound)
            }
            return try await body(caller, requirement)
        }
    }

    private func submit(_ body: Data, caller: Caller, requirement: SandboxRequirement) throws -> Response {
        switch CredentialCheck(requirement: requirement, catalog: sandbox.catalog.connectionTypes).check(body) {
        case .invalid(let details):
            return SandboxResponse.error(.badRequest, details: details)
        case .valid(let type, let config):
            let sealed = try sandbox.sealer.seal(config, appID: caller.app.id, userID: caller.userID, requirementID: requirement.id)
            try sandbox.store.saveCredentials(appID: caller.app.id, userID: caller.userID, requirementID: requirement.id,
                                              type: type, sealed: sealed, now: Date())
            return SandboxResponse.json(ResponseBodies.Message(message: "created"), status: .created)
        }
    }

    private func startOAuth2(caller: Caller, requirement: SandboxRequirement) throws -> Response {
        let typeName = requirement.spec.data["type"] ?? ""
        guard requirement.type == .connection, sandbox.catalog.connectionTypes.type(named: typeName)?.isOAuth2 == true else {
            return SandboxResponse.error(.badRequest, details: ["requirement_id": "is not an OAuth2 connection requirement"])
        }
        let flow = ConsentFlow(appID: caller.app.id, userID: caller.userID, requirementID: requirement.id, kind: .oauth2, now: Date())
        try sandbox.store.startFlow(flow, connectionType: typeName)
        return SandboxResponse.json(ResponseBodies.AuthorizationURL(data: .init(url: sandbox.consentURL(for: flow))))
    }

    private func startAccountLink(caller: Caller, requirement: SandboxRequirement) throws -> Response {
        guard requirement.type == .pipedreamAccount else {
            return SandboxResponse.error(.badRequest, details: ["requirement_id": "is not a pipedream_account requirement"])
        }
        let flow = ConsentFlow(appID: caller.app.id, userID: caller.userID, requirementID: requirement.id, kind: .account, now: Date())
        try sandbox.store.startFlow(flow, connectionType: nil)
        return SandboxResponse.json(ResponseBodies.AuthorizationURL(data: .init(url: sandbox.consentURL(for: flow))))
    }
}

import Foundation
import HTTPTypes
import Hummingbird

/// The sandbox's stand-in for a provider's consent screen: `/sandbox/consent/<flow>` asks,
/// Allow or Deny answers (once), and the page then says the tab can be closed.
struct ConsentRoutes {
    let sandbox: Sandbox

    func add(to router: Router<BasicRequestContext>) {
        router.get("/sandbox/consent/:flow") { _, context in
            try show(context.parameters.get("flow") ?? "")
        }
        router.post("/sandbox/consent/:flow") { request, context in
            guard Self.isSameOrigin(request) else {
                return SandboxResponse.page(ConsentPage.message(
                    title: "Not answered",
                    text: "This answer was sent from another site, so it was not taken. Answer on the consent page itself."),
                    status: .forbidden)
            }
            let body = try await request.body.collect(upTo: 4 * 1024)
            return try answer(context.parameters.get("flow") ?? "", form: String(buffer: body))
        }
        router.get("/sandbox/consent.css") { _, _ in SandboxResponse.asset(ConsentPage.stylesheet, type: "text/css; charset=utf-8") }
        router.get("/sandbox/consent.js") { _, _ in SandboxResponse.asset(ConsentPage.script, type: "text/javascript; charset=utf-8") }
    }

    /// Whether an answer comes from the consent page itself. Browsers send
    /// `Sec-Fetch-Site` on every form post, and a page of another site that posts the form
    /// (cross-site request forgery) is told apart by it. Without it, an `Origin` other
    /// than the sandbox's own is refused; `Origin: null` is what a page under
    /// `Referrer-Policy: no-referrer` (as this one is) sends, so it proves nothing either
    /// way. A client that sends neither (curl, a backend's tests) is not a browser acting
    /// for a user, and is let through.
    static func isSameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!] { return site == "same-origin" || site == "none" }
        guard let origin = request.headers[.origin], origin != "null" else { return true }
        guard let host = request.head.authority else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }

    private func show(_ id: String) throws -> Response {
        guard ConsentFlow.isWellFormedID(id), let flow = try sandbox.store.flow(id: id), let page = page(for: flow) else {
            return SandboxResponse.page(ConsentPage.message(title: "Unknown request",
                                                             text: "This consent link is not valid. Start again from the connect page."), status: .notFound)
        }
        if flow.answer != nil {
            return SandboxResponse.page(ConsentPage.message(title: "Already answered", text: "This request was already answered. You can close this tab."), status: .gone)
        }
        if flow.expiresAt <= Date() {
            return SandboxResponse.page(ConsentPage.message(title: "This request has expired",
                                                             text: "Consent requests last 10 minutes. Start again from the connect page."), status: .gone)
        }
        return SandboxResponse.page(page.question(flowID: flow.id))
    }

    private func answer(_ id: String, form: String) throws -> Response {
        let decision = URLComponents(string: "?" + form)?.queryItems?.first { $0.name == "decision" }?.value
        guard ConsentFlow.isWellFormedID(id), decision == "allow" || decision == "deny" else {
            return SandboxResponse.page(ConsentPage.message(title: "Unknown request", text: "Choose Allow or Deny on the consent page."), status: .badRequest)
        }
        switch try sandbox.store.answer(flowID: id, allow: decision == "allow", now: Date()) {
        case .allowed(let flow):
            let name = page(for: flow)?.appName ?? "The App"
            return SandboxResponse.page(ConsentPage.message(title: "Connected",
                                                             text: "\(name) can now use this account. You can close this tab and return to the connect page.", closes: true))
        case .denied:
            return SandboxResponse.page(ConsentPage.message(title: "Not connected",
                                                             text: "Nothing was shared. You can close this tab; the requirement stays pending.", closes: true))
        case .expired:
            return SandboxResponse.page(ConsentPage.message(title: "This request has expired",
                                                             text: "Consent requests last 10 minutes. Start again from the connect page."), status: .gone)
        case .alreadyAnswered:
            return SandboxResponse.page(ConsentPage.message(title: "Already answered", text: "This request was already answered. You can close this tab."), status: .gone)
        case .unknown:
            return SandboxResponse.page(ConsentPage.message(title: "Unknown request",
                                                             text: "This consent link is not valid. Start again from the connect page."), status: .notFound)
        }
    }

    /// What the page asks: which App wants which account.
    private func page(for flow: ConsentFlow) -> ConsentPage? {
        guard let app = sandbox.catalog.app(id: flow.appID), let requirement = app.requirement(flow.requirementID) else { return nil }
        switch flow.kind {
        case .oauth2:
            let type = sandbox.catalog.connectionTypes.type(named: requirement.spec.data["type"] ?? "")
            let provider = type?.provider.map(sandbox.catalog.connectionTypes.providerName) ?? "the provider"
            return ConsentPage(appName: app.name, accountName: "\(provider) account", detail: type?.name ?? requirement.title)
        case .account:
            let slug = requirement.spec.data["app_slug"] ?? "third-party"
            return ConsentPage(appName: app.name, accountName: "\(sandbox.catalog.connectionTypes.providerName(slug)) account", detail: requirement.title)
        }
    }
}

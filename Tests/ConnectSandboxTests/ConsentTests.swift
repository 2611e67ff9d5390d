import Foundation
import HTTPTypes
import Testing
@testable import ConnectSandbox

/// The two authorize endpoints and the sandbox's own consent page.
@Suite struct ConsentTests {
    let schema = ContractSchema.shared

    /// Starts a flow and returns the consent page's path.
    private func authorize(_ client: SandboxClient, _ token: String, _ requirement: String, _ kind: String) async throws -> String {
        let reply = try await client.call(.post, "/v1/connect/requirements/\(requirement)/\(kind)/authorize", bearer: token)
        #expect(reply.status == 200)
        let operation = kind == "oauth2" ? "authorizeConnectRequirementOAuth2" : "authorizeConnectRequirementActionConnector"
        #expect(schema.violations(operation: operation, status: 200, body: reply.text) == [])
        let url = try #require((reply.json["data"] as? [String: String])?["url"])
        #expect(url.hasPrefix("http://127.0.0.1:9/sandbox/consent/"))
        return String(url.dropFirst("http://127.0.0.1:9".count))
    }

    @Test func allowingAnOAuth2FlowCompletesTheRequirementOnce() async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        try await harness.live { client async throws in
            let token = try await client.token()
            let page = try await authorize(client, token, SandboxHarness.drive, "oauth2")
            let shown = try await client.call(.get, page)
            #expect(shown.status == 200)
            #expect(shown.text.contains("Sandbox: let Support Triage use your Google account?"))
            #expect(shown.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(!shown.text.contains("style=") && !shown.text.contains("<script>"))
            #expect(try await client.statuses(token)[SandboxHarness.drive] == "pending")
            let allowed = try await client.call(.post, page, form: "decision=allow")
            #expect(allowed.status == 200 && allowed.text.contains("You can close this tab"))
            #expect(try await client.statuses(token)[SandboxHarness.drive] == "completed")
            let again = try await client.call(.post, page, form: "decision=deny")
            #expect(again.status == 410 && again.text.contains("already answered"))
            #expect(try await client.statuses(token)[SandboxHarness.drive] == "completed")
        }
    }

    @Test func denyingLeavesTheRequirementPendingAndLinkingAnAccountCompletesIt() async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        try await harness.live { client async throws in
            let token = try await client.token()
            let denied = try await authorize(client, token, SandboxHarness.gmail, "pipedream")
            #expect(try await client.call(.get, denied).text.contains("use your Gmail account?"))
            #expect(try await client.call(.post, denied, form: "decision=deny").status == 200)
            #expect(try await client.statuses(token)[SandboxHarness.gmail] == "pending")
            let allowed = try await authorize(client, token, SandboxHarness.gmail, "pipedream")
            #expect(allowed != denied, "each flow has its own id")
            #expect(try await client.call(.post, allowed, form: "decision=allow").status == 200)
            #expect(try await client.statuses(token)[SandboxHarness.gmail] == "completed")
        }
    }

    /// Deny is told to the page: the requirement stays pending with `reason: denied` until
    /// a new flow starts (unanswered, no reason) or one is allowed.
    @Test func aDeniedConsentLeavesAReasonUntilTheNextFlow() async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        try await harness.live { client async throws in
            let token = try await client.token(for: "denier")
            func item() async throws -> [String: Any] {
                let reply = try await client.call(.get, "/v1/connect/requirements/status", bearer: token)
                #expect(schema.violations(operation: "getConnectRequirementStatuses", status: 200, body: reply.text) == [])
                return try #require((reply.json["data"] as? [[String: Any]])?.first { $0["id"] as? String == SandboxHarness.drive })
            }
            #expect(try await item()["reason"] == nil)
            let first = try await authorize(client, token, SandboxHarness.drive, "oauth2")
            #expect(try await client.call(.post, first, form: "decision=deny").status == 200)
            let denied = try await item()
            #expect(denied["status"] as? String == "pending" && denied["reason"] as? String == "denied")
            let second = try await authorize(client, token, SandboxHarness.drive, "oauth2")
            #expect(try await item()["reason"] == nil, "a new flow is not denied yet")
            #expect(try await client.call(.post, second, form: "decision=allow").status == 200)
            let allowed = try await item()
            #expect(allowed["status"] as? String == "completed" && allowed["reason"] == nil)
        }
    }

    /// A page of another site cannot answer for the user (CSRF): an answer whose `Origin`
    /// or `Sec-Fetch-Site` says it came from elsewhere is refused, and the flow stays open.
    @Test func anAnswerFromAnotherSiteIsRefused() async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        try await harness.live { client async throws in
            let token = try await client.token()
            let page = try await authorize(client, token, SandboxHarness.drive, "oauth2")
            for headers: HTTPFields in [[.origin: "https://evil.example"], [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"], [.origin: "null", HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]] {
                let forged = try await client.call(.post, page, form: "decision=allow", headers: headers)
                #expect(forged.status == 403, "\(headers)")
                #expect(forged.text.contains("another site"))
            }
            #expect(try await client.statuses(token)[SandboxHarness.drive] == "pending")
            // What Chromium sends from the page itself under its no-referrer policy.
            let own = try await client.call(.post, page, form: "decision=allow",
                                            headers: [.origin: "null", HTTPField.Name("Sec-Fetch-Site")!: "same-origin"])
            #expect(own.status == 200)
            #expect(try await client.statuses(token)[SandboxHarness.drive] == "completed")
        }
    }

    @Test func anExpiredOrUnknownFlowCannotBeAnswered() async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        let app = harness.sandbox.catalog.apps[0]
        let old = ConsentFlow(appID: app.id, userID: "u", requirementID: SandboxHarness.gmail, kind: .account,
                              now: Date().addingTimeInterval(-11 * 60))
        try harness.sandbox.store.startFlow(old, connectionType: nil)
        try await harness.live { client async throws in
            #expect(try await client.call(.get, "/sandbox/consent/\(old.id)").status == 410)
            #expect(try await client.call(.post, "/sandbox/consent/\(old.id)", form: "decision=allow").status == 410)
            let guessed = String(repeating: "a", count: 64)
            #expect(try await client.call(.post, "/sandbox/consent/\(guessed)", form: "decision=allow").status == 404)
            #expect(try await client.call(.get, "/sandbox/consent/../../etc/passwd").status == 404)
        }
        let token = try await harness.sandbox.issueToken(appID: app.id, userID: "u").token
        #expect(try harness.sandbox.store.fulfilled(appID: app.id, userID: "u").isEmpty, "token \(token.prefix(4))…")
    }

    @Test func flowIdsAreLongAndRandom() {
        let ids = (0..<100).map { _ in ConsentFlow(appID: "a", userID: "u", requirementID: "r", kind: .oauth2, now: Date()).id }
        #expect(Set(ids).count == 100)
        #expect(ids.allSatisfy(ConsentFlow.isWellFormedID))
    }
}

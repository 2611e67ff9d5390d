import Foundation
import Testing
@testable import ConnectSandbox

/// Endpoints 3 to 7 under `/v1/connect/`, as the hosted page calls them.
@Suite struct ManagementTests {
    let schema = ContractSchema.shared

    @Test func listsTheAppsRequirementsAsTheContractShowsThem() async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        try await harness.live { client async throws in
            let token = try await client.token()
            let reply = try await client.call(.get, "/v1/connect/requirements", bearer: token)
            #expect(reply.status == 200)
            #expect(schema.violations(operation: "listConnectRequirements", status: 200, body: reply.text) == [])
            let data = try #require(reply.json["data"] as? [[String: Any]])
            #expect(data.map { $0["id"] as? String } == [SandboxHarness.gmail, SandboxHarness.helpdesk, SandboxHarness.drive])
            // The contract's two requirements, field for field.
            let published = #"{"data":[{"description":"Used to send triage replies on your behalf.","id":"9b8e2f4d-1c3a-4d5e-8f60-718293a4b5c6","spec":{"data":{"app_slug":"gmail"},"type":"pipedream_account"},"title":"Connect your Gmail account","type":"pipedream_account"},{"description":"Read-only access to your helpdesk tickets.","id":"5e4d3c2b-1a09-4f8e-9d7c-6b5a43210fed","spec":{"data":{"type":"dynamiq.connections.HttpApiKey"},"type":"connection"},"title":"Helpdesk API key","type":"connection"}"#
            #expect(reply.text.hasPrefix(published))
        }
    }

    @Test func credentialsCompleteARequirementAndASecondSubmissionReplacesTheFirst() async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        try await harness.live { client async throws in
            let token = try await client.token()
            #expect(try await client.statuses(token) == [SandboxHarness.gmail: "pending", SandboxHarness.helpdesk: "pending", SandboxHarness.drive: "pending"])
            let first = try await client.submitHelpdesk(token, key: "first-key")
            #expect(first.status == 201 && first.text == #"{"message":"created"}"#)
            #expect(schema.violations(operation: "createConnectRequirementCredentials", status: 201, body: first.text) == [])
            let statuses = try await client.call(.get, "/v1/connect/requirements/status", bearer: token)
            #expect(schema.violations(operation: "getConnectRequirementStatuses", status: 200, body: statuses.text) == [])
            #expect(try await client.statuses(token)[SandboxHarness.helpdesk] == "completed")
            #expect(try await client.submitHelpdesk(token, key: "second-key").status == 201)
            let app = harness.sandbox.catalog.apps[0]
            let sealed = try #require(try harness.sandbox.store.sealedCredentials(appID: app.id, userID: "customer-7421", requirementID: SandboxHarness.helpdesk))
            let opened = String(decoding: try harness.sandbox.sealer.open(sealed, appID: app.id, userID: "customer-7421", requirementID: SandboxHarness.helpdesk), as: UTF8.self)
            #expect(opened == #"{"api_key":"second-key","url":"https:\/\/helpdesk.example.com\/api"}"#)
            // Another user of the same App is untouched.
            #expect(try await client.statuses(try await client.token(for: "someone-else"))[SandboxHarness.helpdesk] == "pending")
        }
    }

    @Test(arguments: [
        (#"{"type": "dynamiq.connections.HttpApiKey", "config": {"url": "https://h.example.com"}}"#, ["config.api_key": "is required"]),
        (#"{"type": "dynamiq.connections.HttpApiKey", "config": {"url": "ftp://h.example.com", "api_key": "k"}}"#, ["config.url": "must be an http or https URL"]),
        (#"{"type": "dynamiq.connections.HttpApiKey", "config": {"url": "https://h.example.com", "api_key": "k", "extra": "x"}}"#, ["config.extra": "is not a field of dynamiq.connections.HttpApiKey"]),
        (#"{"type": "dynamiq.connections.HttpApiKey", "config": {"url": "https://h.example.com", "api_key": 12}}"#, ["config.api_key": "must be text"]),
        (#"{"type": "dynamiq.connections.HttpApiKey", "config": {"url": "https://h.example.com", "api_key": "   "}}"#, ["config.api_key": "is required"]),
        (#"{"type": "dynamiq.connections.OpenAI", "config": {"api_key": "k"}}"#, ["type": "must be dynamiq.connections.HttpApiKey, the requirement's connection type"]),
        (#"{"config": {"api_key": "k"}}"#, ["type": "is required: dynamiq.connections.HttpApiKey"]),
        (#"{"type": "dynamiq.connections.HttpApiKey"}"#, ["config": "is required: an object of the connection's fields"]),
        (#"[1, 2]"#, ["body": "must be a JSON object with `type` and `config`"]),
    ])
    func invalidCredentialsAreA400NamingEachField(body: String, details: [String: String]) async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        try await harness.live { client async throws in
            let token = try await client.token()
            let reply = try await client.call(.post, "/v1/connect/requirements/\(SandboxHarness.helpdesk)/credentials", bearer: token, json: body)
            #expect(reply.status == 400 && reply.errorCode == "bad_request")
            #expect(reply.details == details)
            #expect(!reply.text.contains("h.example.com"), "an error message repeats a submitted value")
            #expect(schema.violations(operation: "createConnectRequirementCredentials", status: 400, body: reply.text) == [])
            #expect(try await client.statuses(token)[SandboxHarness.helpdesk] == "pending")
        }
    }

    @Test func oauth2AndAccountRequirementsRefuseCredentialsAndTheWrongAuthorize() async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        try await harness.live { client async throws in
            let token = try await client.token()
            let drive = try await client.call(.post, "/v1/connect/requirements/\(SandboxHarness.drive)/credentials", bearer: token,
                                              json: #"{"type": "dynamiq.connections.GoogleDrive", "config": {}}"#)
            #expect(drive.status == 400 && drive.details["type"]?.contains("OAuth2") == true)
            let gmail = try await client.call(.post, "/v1/connect/requirements/\(SandboxHarness.gmail)/credentials", bearer: token, json: "{}")
            #expect(gmail.status == 400 && gmail.details["requirement_id"] != nil)
            let wrongOAuth = try await client.call(.post, "/v1/connect/requirements/\(SandboxHarness.helpdesk)/oauth2/authorize", bearer: token)
            #expect(wrongOAuth.status == 400 && wrongOAuth.details == ["requirement_id": "is not an OAuth2 connection requirement"])
            #expect(schema.violations(operation: "authorizeConnectRequirementOAuth2", status: 400, body: wrongOAuth.text) == [])
            let wrongLink = try await client.call(.post, "/v1/connect/requirements/\(SandboxHarness.drive)/pipedream/authorize", bearer: token)
            #expect(wrongLink.status == 400 && wrongLink.details == ["requirement_id": "is not a pipedream_account requirement"])
            let unknown = try await client.call(.post, "/v1/connect/requirements/00000000-0000-4000-8000-000000000000/oauth2/authorize", bearer: token)
            #expect(unknown.status == 404 && unknown.errorCode == "not_found")
            #expect(schema.violations(operation: "authorizeConnectRequirementOAuth2", status: 404, body: unknown.text) == [])
            let otherPath = try await client.call(.get, "/v1/connect/nothing", bearer: token)
            #expect(otherPath.status == 404 && otherPath.errorCode == "not_found")
        }
    }
}

import Foundation
import Testing
@testable import ConnectSandbox

/// Every `/v1/connect/*` call checks the token's signature, expiry and App.
@Suite struct TokenTests {
    @Test func anExpiredTokenIsRefused() async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        let app = harness.sandbox.catalog.apps[0]
        let (expired, _) = try await harness.sandbox.tokens.issue(userID: "u", appID: app.id, lifetime: 60, now: Date().addingTimeInterval(-120))
        try await harness.live { client async throws in
            let reply = try await client.call(.get, "/v1/connect/requirements", bearer: expired)
            #expect(reply.status == 401 && reply.text == #"{"error":{"code":"unauthorized","message":"Unauthorized"}}"#)
            #expect(ContractSchema.shared.violations(operation: "listConnectRequirements", status: 401, body: reply.text) == [])
            // A shorter life can be asked for, for tests like this one; never a longer one.
            let short = try await client.call(.post, "/apps/\(SandboxHarness.privateHost)/v1/connect/tokens", bearer: SandboxHarness.accessKey,
                                              json: #"{"user_id": "u", "expires_in": 60}"#)
            let expires = try #require((short.json["expires_at"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(expires.timeIntervalSinceNow - 60) < 5)
        }
    }

    @Test func aTamperedForeignOrMalformedTokenIsRefused() async throws {
        let harness = try await SandboxHarness()
        let stranger = try await SandboxHarness()
        defer { harness.remove(); stranger.remove() }
        let app = harness.sandbox.catalog.apps[0]
        let foreign = try await stranger.sandbox.tokens.issue(userID: "customer-7421", appID: app.id).token
        try await harness.live { client async throws in
            let token = try await client.token()
            var parts = token.split(separator: ".").map(String.init)
            // Claim to be another user with the original signature.
            let claims = try #require(Data(base64Encoded: parts[1].padding(toLength: (parts[1].count + 3) / 4 * 4, withPad: "=", startingAt: 0)
                .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")))
            let forged = String(decoding: claims, as: UTF8.self).replacingOccurrences(of: "customer-7421", with: "customer-0001")
            parts[1] = Data(forged.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            for bad in [parts.joined(separator: "."), foreign, "not-a-jwt", String(token.dropLast(2)), SandboxHarness.accessKey] {
                let reply = try await client.call(.get, "/v1/connect/requirements/status", bearer: bad)
                #expect(reply.status == 401, "accepted \(bad.prefix(12))…")
            }
            #expect(try await client.call(.get, "/v1/connect/requirements").status == 401)
        }
    }

    @Test func aTokenOfAnotherAppSeesOnlyThatApp() async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        try await harness.live { client async throws in
            let publicToken = try await client.token(for: "u", host: SandboxHarness.publicHost, key: nil)
            #expect(try await client.statuses(publicToken).keys.sorted() == [SandboxHarness.openAI])
            let reply = try await client.submitHelpdesk(publicToken)
            #expect(reply.status == 404, "a token reached another App's requirement")
        }
    }

    /// A genuine token whose App is no longer served (removed from sandbox.yaml) is a 404,
    /// not a 401: the link is not broken, its App is gone, and the page says which.
    @Test func aGenuineTokenOfAnAppThatIsGoneIsNotFound() async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        let orphan = try await harness.sandbox.tokens.issue(userID: "u", appID: "9f0e8d7c-0000-4000-8000-000000000000").token
        try await harness.live { client async throws in
            let reply = try await client.call(.get, "/v1/connect/requirements/status", bearer: orphan)
            #expect(reply.status == 404 && reply.errorCode == "not_found")
            #expect(ContractSchema.shared.violations(operation: "getConnectRequirementStatuses", status: 404, body: reply.text) == [])
        }
    }
}

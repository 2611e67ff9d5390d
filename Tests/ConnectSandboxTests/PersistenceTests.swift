import Foundation
import Testing
@testable import ConnectSandbox

/// State in a real SQLite file: it survives restarts, stays consistent under concurrent
/// submissions, and holds no credential in the clear.
@Suite struct PersistenceTests {
    @Test func statusesAndTokensSurviveARestart() async throws {
        let first = try await SandboxHarness(database: nil)
        defer { first.remove() }
        let token = try await first.live { client async throws in
            let token = try await client.token()
            #expect(try await client.submitHelpdesk(token).status == 201)
            return token
        }
        let second = try await SandboxHarness(folder: first.folder, database: nil)
        try await second.live { client async throws in
            #expect(try await client.statuses(token)[SandboxHarness.helpdesk] == "completed")
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: first.folder.appendingPathComponent("token-signing-key.pem").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: first.folder.appendingPathComponent("credentials.key").path)[.posixPermissions] as? Int) == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: first.folder.path)[.posixPermissions] as? Int) == 0o700)
    }

    @Test func concurrentSubmissionsLeaveOneConsistentRow() async throws {
        let harness = try await SandboxHarness(database: nil)
        defer { harness.remove() }
        try await harness.live { client async throws in
            let token = try await client.token()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<16 {
                    group.addTask { try await client.submitHelpdesk(token, key: "key-\(index)").status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 201, count: 16))
        }
        let app = harness.sandbox.catalog.apps[0]
        let rows = try await harness.sandbox.store.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM connection WHERE requirement_id = ?", arguments: [SandboxHarness.helpdesk])
        }
        #expect(rows == 1)
        let sealed = try #require(try harness.sandbox.store.sealedCredentials(appID: app.id, userID: "customer-7421", requirementID: SandboxHarness.helpdesk))
        let opened = String(decoding: try harness.sandbox.sealer.open(sealed, appID: app.id, userID: "customer-7421", requirementID: SandboxHarness.helpdesk), as: UTF8.self)
        #expect(opened.range(of: #""api_key":"key-\d+""#, options: .regularExpression) != nil)
    }

    @Test func submittedSecretsAreEncryptedAtRest() async throws {
        let harness = try await SandboxHarness(database: nil)
        defer { harness.remove() }
        let secret = "hd_live_SECRET_\(UUID().uuidString)"
        try await harness.live { client async throws in
            #expect(try await client.submitHelpdesk(try await client.token(), key: secret).status == 201)
        }
        var bytes = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: harness.folder.path) {
            bytes += (FileManager.default.contents(atPath: harness.folder.appendingPathComponent(name).path) ?? Data())
        }
        #expect(!bytes.isEmpty)
        #expect(bytes.range(of: Data(secret.utf8)) == nil, "the key is readable in the data folder")
        #expect(bytes.range(of: Data("hd_live_SECRET".utf8)) == nil)
        // A sealed row copied to another user cannot be opened there.
        let app = harness.sandbox.catalog.apps[0]
        let sealed = try #require(try harness.sandbox.store.sealedCredentials(appID: app.id, userID: "customer-7421", requirementID: SandboxHarness.helpdesk))
        #expect(throws: (any Error).self) {
            try harness.sandbox.sealer.open(sealed, appID: app.id, userID: "intruder", requirementID: SandboxHarness.helpdesk)
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
@testable import ConnectSandbox
import Testing

/// Endpoints 1 and 2 on each App's base URL: `/apps/<hostname>/v1/...`.
@Suite struct AppHostTests {
    let schema = ContractSchema.shared

    @Test func aPrivateAppIssuesATokenForItsAccessKeyOnly() async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        try await harness.live { client async throws in
            let path = "/apps/\(SandboxHarness.privateHost)/v1/connect/tokens"
            let created = try await client.call(.post, path, bearer: SandboxHarness.accessKey, json: #"{"user_id": "customer-7421"}"#)
            #expect(created.status == 200)
            #expect(schema.violations(operation: "createConnectToken", status: 200, body: created.text) == [])
            let token = try #require(created.json["token"] as? String)
            #expect(token.split(separator: ".").count == 3)
            #expect(created.json["url"] as? String == "http://127.0.0.1:8080/connect/#token=\(token)")
            let expires = try #require((created.json["expires_at"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(expires.timeIntervalSinceNow - 24 * 3600) < 60)

            for key in [nil, "dynamiq_acc_" + String(repeating: "x", count: 64), "dyn_pat_123"] {
                let refused = try await client.call(.post, path, bearer: key, json: #"{"user_id": "customer-7421"}"#)
                #expect(refused.status == 401 && refused.errorCode == "unauthorized")
                #expect(schema.violations(operation: "createConnectToken", status: 401, body: refused.text) == [])
            }
        }
    }

    @Test func aPublicAppNeedsNoKeyAndAnUnknownAppIsNotFound() async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        try await harness.live { client async throws in
            let open = try await client.call(.post, "/apps/\(SandboxHarness.publicHost)/v1/connect/tokens", json: #"{"user_id": "u1"}"#)
            #expect(open.status == 200)
            let missing = try await client.call(.post, "/apps/nobody.example.com/v1/connect/tokens", json: #"{"user_id": "u1"}"#)
            #expect(missing.status == 404 && missing.errorCode == "not_found")
            #expect(schema.violations(operation: "createConnectToken", status: 404, body: missing.text) == [])
        }
    }

    @Test(arguments: [#"{}"#, #"{"user_id": ""}"#, #"{"user_id": 7}"#, "not json", #"{"user_id": "u", "expires_in": 999999}"#])
    func aBadTokenRequestIsA400NamingTheField(body: String) async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        try await harness.live { client async throws in
            let reply = try await client.call(.post, "/apps/\(SandboxHarness.privateHost)/v1/connect/tokens", bearer: SandboxHarness.accessKey, json: body)
            #expect(reply.status == 400 && reply.errorCode == "bad_request")
            #expect(!reply.details.isEmpty)
            #expect(schema.violations(operation: "createConnectToken", status: 400, body: reply.text) == [])
        }
    }

    @Test func theAppStatusListsWhatIsUnsatisfiedUntilEverythingIsMet() async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        try await harness.live { client async throws in
            let path = "/apps/\(SandboxHarness.publicHost)/v1/requirements/status?user_id=u9"
            let before = try await client.call(.get, path)
            #expect(before.status == 200)
            #expect(before.json["status"] as? String == "incomplete")
            #expect(schema.violations(operation: "getAppRequirementsStatus", status: 200, body: before.text) == [])
            let item = try #require((before.json["unsatisfied"] as? [[String: Any]])?.first)
            #expect(item["id"] as? String == SandboxHarness.openAI)
            #expect((item["form"] as? [String: String])?["title"] == "OpenAI API key")
            #expect(item["name"] as? String == "openai_key" && item["workflow_id"] as? String == "7d1e2f3a-4b5c-4d6e-9f70-8192a3b4c5d6")

            let token = try await client.token(for: "u9", host: SandboxHarness.publicHost, key: nil)
            let submitted = try await client.call(.post, "/v1/connect/requirements/\(SandboxHarness.openAI)/credentials", bearer: token,
                                                  json: #"{"type": "dynamiq.connections.OpenAI", "config": {"api_key": "sk-test"}}"#)
            #expect(submitted.status == 201)
            let after = try await client.call(.get, path)
            #expect(after.text == #"{"status":"complete","unsatisfied":[]}"#)

            let blank = try await client.call(.get, "/apps/\(SandboxHarness.publicHost)/v1/requirements/status")
            #expect(blank.status == 400 && blank.details == ["user_id": "cannot be blank"])
            let locked = try await client.call(.get, "/apps/\(SandboxHarness.privateHost)/v1/requirements/status?user_id=u9")
            #expect(locked.status == 401)
        }
    }
    /// A `user_id` is kept whole or refused: a control character or an id over 256 characters
    /// is a 400 naming the field, on both endpoints, and never reaches another user's state.
    @Test func aUserIDWithAControlCharacterIsRefusedNotTruncated() async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        try await harness.live { client async throws in
            let alice = try await client.token(for: "alice", host: SandboxHarness.publicHost, key: nil)
            let saved = try await client.call(.post, "/v1/connect/requirements/\(SandboxHarness.openAI)/credentials", bearer: alice,
                                              json: #"{"type": "dynamiq.connections.OpenAI", "config": {"api_key": "sk-test"}}"#)
            #expect(saved.status == 201)

            let tokens = "/apps/\(SandboxHarness.publicHost)/v1/connect/tokens"
            for body in [#"{"user_id": "alice\u0000evil"}"#, #"{"user_id": "alice\nevil"}"#, #"{"user_id": "alice\u007f"}"#,
                         #"{"user_id": "\#(String(repeating: "a", count: 257))"}"#] {
                let refused = try await client.call(.post, tokens, json: body)
                #expect(refused.status == 400 && refused.errorCode == "bad_request", "\(body)")
                #expect(refused.details["user_id"]?.isEmpty == false)
                #expect(schema.violations(operation: "createConnectToken", status: 400, body: refused.text) == [])
            }
            let longest = try await client.call(.post, tokens, json: #"{"user_id": "\#(String(repeating: "a", count: 256))"}"#)
            #expect(longest.status == 200)

            let status = "/apps/\(SandboxHarness.publicHost)/v1/requirements/status?user_id="
            let nul = try await client.call(.get, status + "alice%00evil")
            #expect(nul.status == 400 && nul.details["user_id"]?.isEmpty == false)
            // An id that only begins like alice's is another user, with nothing fulfilled.
            let other = try await client.call(.get, status + "alice%20evil")
            #expect(other.json["status"] as? String == "incomplete")
            let herself = try await client.call(.get, status + "alice")
            #expect(herself.json["status"] as? String == "complete")
        }
    }

    /// connect-server's `/_dev/apps/...` in sandbox mode: the same answers as over HTTP, and
    /// nothing but the two calls.
    @Test func inProcessTheAppHostAnswersAsOverHTTPAndOnlyTheTwoCalls() async throws {
        let harness = try await SandboxHarness()
        defer { harness.remove() }
        let sandbox = harness.sandbox
        func call(_ method: HTTPRequest.Method, _ target: String, bearer: String? = nil, body: String? = nil) async -> (Int, [String: Any]) {
            var head = HTTPRequest(method: method, scheme: "http", authority: "127.0.0.1", path: target)
            if let bearer { head.headerFields[.authorization] = "Bearer \(bearer)" }
            let request = Request(head: head, body: RequestBody(buffer: ByteBuffer(string: body ?? "")))
            let path = target.split(separator: "?", maxSplits: 1)[0]
            let response = await sandbox.answerAppHost(request, path: path)
            let collected = Collected()
            _ = try? await response.body.write(BodyCollector(into: collected))
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: collected.buffer))) as? [String: Any] ?? [:]
            return (Int(response.status.code), json)
        }
        let host = SandboxHarness.privateHost
        let (created, token) = await call(.post, "/apps/\(host)/v1/connect/tokens", bearer: SandboxHarness.accessKey, body: #"{"user_id": "reader"}"#)
        #expect(created == 200)
        #expect(schema.violations(operation: "createConnectToken", status: 200, body: String(decoding: try JSONSerialization.data(withJSONObject: token), as: UTF8.self)) == [])
        #expect(await call(.post, "/apps/\(host)/v1/connect/tokens", body: #"{"user_id": "reader"}"#).0 == 401)
        #expect(await call(.post, "/apps/\(host)/v1/connect/tokens", bearer: SandboxHarness.accessKey, body: "[]").0 == 400)
        let (status, answer) = await call(.get, "/apps/\(host)/v1/requirements/status?user_id=reader", bearer: SandboxHarness.accessKey)
        #expect(status == 200 && answer["status"] as? String == "incomplete")
        for (method, target) in [(HTTPRequest.Method.get, "/apps/\(host)/v1/connect/tokens"), (.get, "/v1/connect/requirements/status"),
                                 (.get, "/apps/\(host)/v1/connect/requirements"), (.get, "/demo/"), (.post, "/apps/nobody.example.com/v1/connect/tokens")] {
            let (refused, body) = await call(method, target, bearer: SandboxHarness.accessKey, body: #"{"user_id": "reader"}"#)
            #expect(refused == 404 && (body["error"] as? [String: Any])?["code"] as? String == "not_found", "\(method) \(target)")
        }
    }
}

/// A response body, collected in process.
private final class Collected: @unchecked Sendable {
    var buffer = ByteBuffer()
}

private struct BodyCollector: ResponseBodyWriter {
    let into: Collected
    mutating func write(_ chunk: ByteBuffer) async throws {
        var chunk = chunk
        into.buffer.writeBuffer(&chunk)
    }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

import ConnectAPI
@testable import ConnectSandbox
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// A sandbox over the repository's own `content/`, with its data in a temporary folder,
/// tested over real sockets.
struct SandboxHarness {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let content = repository.appendingPathComponent("content")

    static let privateHost = "4f6e1c2a-7b3d-4e5f-8a9b-0c1d2e3f4a5b.apps.us-east-1.getdynamiq.ai"
    static let publicHost = "public-demo.apps.sandbox.local"
    static let accessKey = "dynamiq_acc_SandboxDemoKeyForLocalUseOnly00000000000000000000000000000000000"
    static let gmail = "9b8e2f4d-1c3a-4d5e-8f60-718293a4b5c6"
    static let helpdesk = "5e4d3c2b-1a09-4f8e-9d7c-6b5a43210fed"
    static let drive = "2affdc04-ece1-4f5d-8116-d0491f513c6e"
    static let openAI = "3c1d5e7f-9a2b-4c4d-8e6f-0a1b2c3d4e5f"

    let folder: URL
    let sandbox: Sandbox

    /// - Parameters:
    ///   - folder: Reuse a data folder (to test a restart); a new one when nil.
    ///   - database: `:memory:`, or nil for the SQLite file in the folder.
    init(folder: URL? = nil, database: String? = ":memory:", content: URL = SandboxHarness.content) async throws {
        self.folder = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString)")
        sandbox = try await Sandbox.open(.init(content: content, dataFolder: self.folder.path, databasePath: database,
                                               publicURL: "http://127.0.0.1:9", connectPageURL: "http://127.0.0.1:8080/connect/"))
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs `body` against the sandbox over a real socket.
    func live<Value: Sendable>(_ body: @Sendable (SandboxClient) async throws -> Value) async throws -> Value {
        try await sandbox.application(host: "127.0.0.1", port: 0).test(.live) { client in
            try await body(SandboxClient(client: client))
        }
    }
}

/// Calls the sandbox the way an App backend and the hosted page do.
struct SandboxClient: Sendable {
    let client: any TestClientProtocol

    struct Reply: Sendable {
        var status: Int
        var headers: HTTPFields
        var text: String
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]) ?? [:] }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
        var details: [String: String] { ((json["error"] as? [String: Any])?["details"] as? [String: String]) ?? [:] }
    }

    func call(_ method: HTTPRequest.Method, _ path: String, bearer: String? = nil, json: String? = nil,
              form: String? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        if json != nil { headers[.contentType] = "application/json" }
        if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let body = (json ?? form).map { ByteBuffer(string: $0) }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body)
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
    }

    /// A new connect token for a user of the demo App.
    func token(for user: String = "customer-7421", host: String = SandboxHarness.privateHost,
               key: String? = SandboxHarness.accessKey, extra: String = "") async throws -> String {
        let reply = try await call(.post, "/apps/\(host)/v1/connect/tokens", bearer: key, json: #"{"user_id": "\#(user)"\#(extra)}"#)
        guard reply.status == 200, let token = reply.json["token"] as? String else {
            throw SandboxTestError("token: \(reply.status) \(reply.text)")
        }
        return token
    }

    /// Requirement id to status, as the hosted page sees them.
    func statuses(_ token: String) async throws -> [String: String] {
        let reply = try await call(.get, "/v1/connect/requirements/status", bearer: token)
        let data = reply.json["data"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: data.map { ($0["id"] as! String, $0["status"] as! String) })
    }

    func submitHelpdesk(_ token: String, key: String = "hd_live_9f3a7c1e2b54") async throws -> Reply {
        try await call(.post, "/v1/connect/requirements/\(SandboxHarness.helpdesk)/credentials", bearer: token,
                       json: #"{"type": "dynamiq.connections.HttpApiKey", "config": {"url": "https://helpdesk.example.com/api", "api_key": "\#(key)"}}"#)
    }
}

struct SandboxTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

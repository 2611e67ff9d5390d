@testable import ConnectServer
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

/// A sandbox that answers every App host call with what it was asked, as JSON.
private struct EchoSandbox: DevelopmentSandbox {
    func demoToken() async -> String? { "demo.jwt.token" }
    func demoApp() async -> DemoApp? { DemoApp(hostname: "h.example.com", accessKey: "dynamiq_acc_demo") }
    func answerAppHost(_ request: Request, path: Substring) async -> Response {
        let body = (try? await request.body.collect(upTo: 1024)).map { String(buffer: $0) } ?? ""
        let echo = ["path": String(path), "query": request.uri.query ?? "", "authorization": request.headers[.authorization] ?? "", "body": body]
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.contentSecurityPolicy] = "default-src *"
        return Response(status: .created, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try! JSONEncoder().encode(echo))))
    }
}

/// `/_dev/*` answers only in development and sandbox mode; production never has it.
struct DevelopmentEndpointTests {
    @Test func productionHasNoDevelopmentEndpoints() async throws {
        try await TestServer { $0.upstream = "https://api.example.com" }.test { client in
            for path in ["/_dev/site-version", "/_dev/events", "/_dev/demo-token", "/_dev/demo-app", "/_dev/",
                         "/_dev/apps/h.example.com/v1/requirements/status?user_id=u"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
                #expect(!response.text.contains("token"))
            }
        }
    }

    @Test func developmentReportsTheSiteVersionAndSandboxModeADemoToken() async throws {
        let server = try TestServer {
            $0.development = true
            $0.sandbox = EchoSandbox()
        }
        try await server.test { client in
            #expect(try await client.execute(uri: "/_dev/site-version", method: .get).text == #"{"version":"0"}"#)
            let token = try await client.execute(uri: "/_dev/demo-token", method: .get)
            #expect(token.text == #"{"token":"demo.jwt.token"}"#)
            #expect(token.headers[.cacheControl] == "no-store")
        }
    }

    @Test func sandboxModePassesTheAppHostCallsToTheSandboxUnderTheServersOwnHeaders() async throws {
        try await TestServer { $0.sandbox = EchoSandbox() }.test { client in
            let app = try await client.execute(uri: "/_dev/demo-app", method: .get)
            #expect(try JSONDecoder().decode([String: String].self, from: Data(buffer: app.body)) == ["hostname": "h.example.com", "access_key": "dynamiq_acc_demo"])
            let response = try await client.execute(uri: "/_dev/apps/h.example.com/v1/connect/tokens?x=1", method: .post,
                                                    headers: [.authorization: "Bearer dynamiq_acc_demo", .contentType: "application/json"],
                                                    body: ByteBuffer(string: #"{"user_id":"u"}"#))
            #expect(response.status == .created)
            let echo = try JSONDecoder().decode([String: String].self, from: Data(buffer: response.body))
            #expect(echo == ["path": "/apps/h.example.com/v1/connect/tokens", "query": "x=1",
                             "authorization": "Bearer dynamiq_acc_demo", "body": #"{"user_id":"u"}"#])
            // The docs' CSP and no-store, not whatever the sandbox said.
            #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            #expect(response.headers[.cacheControl] == "no-store")
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
        }
    }

    @Test func liveReloadIsPushedTheMomentTheSiteIsReplaced() async throws {
        let store = try SiteStore(TestServer().makeServer().store.current)
        var events = store.generations().makeAsyncIterator()
        #expect(await events.next() == 0)
        let site = store.current
        store.replace(with: site)
        #expect(await events.next() == 1)
        store.replace(with: site)
        store.replace(with: site)
        // A slow page gets the newest generation, not a backlog.
        #expect(await events.next() == 3)
    }
}

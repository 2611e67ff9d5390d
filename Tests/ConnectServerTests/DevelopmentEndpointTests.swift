@testable import ConnectServer
import Foundation
import Testing

/// `/_dev/*` answers only in development and sandbox mode; production never has it.
struct DevelopmentEndpointTests {
    @Test func productionHasNoDevelopmentEndpoints() async throws {
        try await TestServer { $0.upstream = "https://api.example.com" }.test { client in
            for path in ["/_dev/site-version", "/_dev/events", "/_dev/demo-token", "/_dev/"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
                #expect(!response.text.contains("token"))
            }
        }
    }

    @Test func developmentReportsTheSiteVersionAndSandboxModeADemoToken() async throws {
        let server = try TestServer {
            $0.development = true
            $0.demoToken = { "demo.jwt.token" }
        }
        try await server.test { client in
            #expect(try await client.execute(uri: "/_dev/site-version", method: .get).text == #"{"version":"0"}"#)
            let token = try await client.execute(uri: "/_dev/demo-token", method: .get)
            #expect(token.text == #"{"token":"demo.jwt.token"}"#)
            #expect(token.headers[.cacheControl] == "no-store")
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

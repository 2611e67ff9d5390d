@testable import ConnectServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing

/// `/metrics`: what an operator scrapes and alerts on, read back as Prometheus would.
struct MetricsTests {
    static let token = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXVzZXI.SIGNATURE-7421"
    static let bearer: HTTPFields = [.authorization: "Bearer \(token)"]

    /// The value of one series, `name{labels} value`, from the text exposition.
    static func value(_ exposition: String, _ series: String) -> Double? {
        for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    static func scrape(_ server: ConnectServer) async throws -> String {
        let endpoint = try #require(server.metricsEndpoint)
        return String(decoding: await endpoint.exposition(), as: UTF8.self)
    }

    @Test func requestsAreCountedByRouteClassAndStatusWithNoPathOrToken() async throws {
        let stub = StubUpstream()
        try await stub.run { base in
            let server = try TestServer { $0.upstream = base; $0.metricsPort = 0 }
            let made = try server.makeServer()
            try await made.withApplication { app in
                try await app.test(.live) { client in
                    _ = try await client.execute(uri: "/", method: .get)
                    _ = try await client.execute(uri: "/docs/overview/", method: .get)
                    _ = try await client.execute(uri: "/no-such-page?token=\(Self.token)", method: .get)
                    _ = try await client.execute(uri: "/v1/connect/requirements/status", method: .get, headers: Self.bearer)
                    _ = try await client.execute(uri: "/v1/connect/requirements", method: .get)
                    _ = try await client.execute(uri: "/v1/connect/secret-\(Self.token)", method: .get, headers: Self.bearer)
                    _ = try await client.execute(uri: "/healthz/live", method: .get)
                    let during = try await Self.scrape(made)
                    #expect(Self.value(during, #"connect_upstream_connections{state="idle"}"#) == 1)
                    #expect(Self.value(during, #"connect_upstream_connections{state="busy"}"#) == 0)
                    #expect(Self.value(during, "connect_upstream_connections_closed_total") == 0)
                }
            }
            // At the end the server closes its idle upstream connections.
            let text = try await Self.scrape(made)
            #expect(Self.value(text, "connect_upstream_connections_closed_total") == 1)
            #expect(Self.value(text, #"connect_upstream_connections{state="idle"}"#) == 0)
            #expect(Self.value(text, #"connect_requests_total{route="static",status="200"}"#) == 2)
            #expect(Self.value(text, #"connect_requests_total{route="static",status="404"}"#) == 1)
            #expect(Self.value(text, #"connect_requests_total{route="requirement_statuses",status="200"}"#) == 1)
            #expect(Self.value(text, #"connect_requests_total{route="refused",status="401"}"#) == 1)
            #expect(Self.value(text, #"connect_requests_total{route="refused",status="404"}"#) == 1)
            #expect(Self.value(text, #"connect_requests_total{route="health",status="200"}"#) == 1)
            #expect(Self.value(text, #"connect_request_duration_seconds_count{class="static"}"#) == 3)
            #expect(Self.value(text, #"connect_request_duration_seconds_count{class="proxy"}"#) == 3)
            #expect(Self.value(text, #"connect_upstream_calls_total{outcome="ok"}"#) == 1)
            #expect(Self.value(text, "connect_upstream_duration_seconds_count") == 1)
            #expect(Self.value(text, "connect_upstream_connections_opened_total") == 1)
            #expect(Self.value(text, "connect_ready") == 1)
            #expect(Self.value(text, "connect_site_files") == 6)
            // Bounded labels: nothing from a request's path, query or headers.
            #expect(!text.contains("SIGNATURE"))
            #expect(!text.contains("no-such-page"))
            #expect(!text.contains("/v1"))
            // Every metric says what it is.
            for name in ServerMetrics.Name.help.keys {
                #expect(text.contains("# HELP \(name) "), "\(name)")
                #expect(text.contains("# TYPE \(name) "), "\(name)")
            }
        }
    }

    @Test func upstreamOutcomesTellRefusedFromTimeoutFromBadAnswer() async throws {
        // Refused: a port nobody listens on.
        let closed = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = closed.localAddress!.port!
        try await closed.close()
        let refused = try TestServer { $0.upstream = "http://127.0.0.1:\(port)"; $0.metricsPort = 0 }
        let refusedServer = try refused.makeServer()
        try await refusedServer.withApplication { app in
            try await app.test(.live) { client in
                let response = try await client.execute(uri: "/v1/connect/requirements", method: .get, headers: Self.bearer)
                #expect(response.status == .badGateway)
            }
        }
        let refusedText = try await Self.scrape(refusedServer)
        #expect(Self.value(refusedText, #"connect_upstream_calls_total{outcome="refused"}"#) == 1)
        #expect(Self.value(refusedText, #"connect_upstream_calls_total{outcome="ok"}"#) == 0)
        #expect(Self.value(refusedText, "connect_ready") == 0)

        // Timeout: an upstream slower than the limit.
        let slow = StubUpstream(.slow(.seconds(2)))
        try await slow.run { base in
            let server = try TestServer { $0.upstream = base; $0.upstreamTimeout = .milliseconds(300); $0.metricsPort = 0 }.makeServer()
            try await server.withApplication { app in
                try await app.test(.live) { client in
                    let response = try await client.execute(uri: "/v1/connect/requirements", method: .get, headers: Self.bearer)
                    #expect(response.status == .gatewayTimeout)
                }
            }
            let text = try await Self.scrape(server)
            #expect(Self.value(text, #"connect_upstream_calls_total{outcome="timeout"}"#) == 1)
        }

        // Bad answer: not HTTP at all. Reset: the connection is cut before an answer.
        for (mode, outcome) in [(RawUpstream.Mode.garbage, "bad_answer"), (.reset, "reset")] {
            try await RawUpstream.run(mode) { base in
                let server = try TestServer { $0.upstream = base; $0.metricsPort = 0 }.makeServer()
                try await server.withApplication { app in
                    try await app.test(.live) { client in
                        let response = try await client.execute(uri: "/v1/connect/requirements", method: .get, headers: Self.bearer)
                        #expect(response.status == .badGateway)
                    }
                }
                let text = try await Self.scrape(server)
                #expect(Self.value(text, "connect_upstream_calls_total{outcome=\"\(outcome)\"}") == 1, "\(outcome)")
            }
        }
    }

    @Test func noMetricsAreKeptWithoutAMetricsPort() throws {
        let server = try TestServer().makeServer()
        #expect(server.metrics == nil)
        #expect(server.metricsEndpoint == nil)
    }
}


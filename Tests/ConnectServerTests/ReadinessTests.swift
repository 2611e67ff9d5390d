@testable import ConnectServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

/// `/healthz` tells ready from alive: a load balancer takes a replica out that is alive
/// but cannot do its job, and a supervisor restarts only one that does not answer.
struct ReadinessTests {
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        return port
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test func readyWhenTheUpstreamAcceptsConnections() async throws {
        let stub = StubUpstream()
        try await stub.run { base in
            try await TestServer { $0.upstream = base }.test { client in
                let response = try await client.execute(uri: "/healthz", method: .get)
                #expect(response.status == .ok)
                let report = try Self.json(response)
                #expect(report["status"] as? String == "ok")
                #expect(report["ready"] as? Bool == true)
                #expect(report["alive"] as? Bool == true)
                #expect((report["problems"] as? [String]) == [])
                #expect(report["files"] as? Int == 6)
                #expect(report["upstream"] as? String == base)
            }
        }
    }

    @Test func notReadyButAliveWhileTheUpstreamRefusesConnections() async throws {
        let port = try await Self.closedPort()
        try await TestServer { $0.upstream = "http://user:pw@127.0.0.1:\(port)/base" }.test { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.cacheControl] == "no-store")
            let report = try Self.json(response)
            #expect(report["status"] as? String == "unavailable")
            #expect(report["ready"] as? Bool == false)
            #expect(report["alive"] as? Bool == true)
            #expect((report["problems"] as? [String] ?? []).contains { $0.contains("upstream does not accept connections") })
            // The upstream's credentials never show.
            #expect(report["upstream"] as? String == "http://127.0.0.1:\(port)/base")
            let live = try await client.execute(uri: "/healthz/live", method: .get)
            #expect(live.status == .ok)
            #expect(live.text == #"{"status":"alive"}"#)
            // The site itself is still served.
            #expect(try await client.execute(uri: "/", method: .get).status == .ok)
        }
    }

    @Test func notReadyWithNoUpstreamConfigured() async throws {
        try await TestServer().test { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect((try Self.json(response)["problems"] as? [String] ?? []).contains { $0.contains("--upstream") })
        }
    }

    @Test func notReadyWhileTheNewestManifestIsBrokenThenReadyAgain() async throws {
        let stub = StubUpstream()
        try await stub.run { base in
            // The server's own watcher waits; the test reloads when it chooses.
            let server = try TestServer { $0.upstream = base; $0.metricsPort = 0; $0.reloadInterval = .seconds(60) }
            let made = try server.makeServer()
            let manifest = server.fixture.publicPath + "/.manifest.json"
            let good = try Data(contentsOf: URL(fileURLWithPath: manifest))
            let watcher = ManifestWatcher(loader: made.loader, store: made.store, interval: .seconds(60), logger: .init(label: "t"),
                                          initialSignature: nil, metrics: made.metrics)
            try await made.withApplication { app in
                try await app.test(.live) { client in
                    try Data("{broken".utf8).write(to: URL(fileURLWithPath: manifest))
                    watcher.reload()
                    let broken = try await client.execute(uri: "/healthz", method: .get)
                    #expect(broken.status == .serviceUnavailable)
                    #expect((try Self.json(broken)["problems"] as? [String] ?? []).contains { $0.contains("manifest") })
                    #expect(try await client.execute(uri: "/", method: .get).status == .ok)
                    try good.write(to: URL(fileURLWithPath: manifest))
                    watcher.reload()
                    #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
                }
            }
            let text = String(decoding: await made.metricsEndpoint!.exposition(), as: UTF8.self)
            #expect(MetricsTests.value(text, #"connect_manifest_reloads_total{result="failed"}"#) == 1)
            #expect(MetricsTests.value(text, #"connect_manifest_reloads_total{result="ok"}"#) == 1)
        }
    }

    @Test func healthzProbesTheUpstreamAtMostOnceASecond() async throws {
        let listener = ConnectionCounter()
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            try await listener.run { port in
                try await TestServer { $0.upstream = "http://127.0.0.1:\(port)" }.test { client in
                    for _ in 0..<50 { _ = try await client.execute(uri: "/healthz", method: .get) }
                }
            }
        }
        // One probe, then at most one more per second the test ran (a busy machine is slow).
        #expect(listener.accepted >= 1)
        #expect(listener.accepted <= 1 + Int(elapsed.components.seconds), "\(listener.accepted) probes in \(elapsed)")
    }
}

/// Counts the TCP connections made to it, and closes each.
final class ConnectionCounter: Sendable {
    private let count = NIOLockedValueBox(0)
    var accepted: Int { count.withLockedValue { $0 } }

    func run<Value: Sendable>(_ body: @Sendable (Int) async throws -> Value) async throws -> Value {
        let count = self.count
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                count.withLockedValue { $0 += 1 }
                return channel.close()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        do {
            let value = try await body(channel.localAddress!.port!)
            try await channel.close()
            return value
        } catch {
            try? await channel.close()
            throw error
        }
    }
}


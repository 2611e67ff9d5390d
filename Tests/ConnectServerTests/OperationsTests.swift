import AsyncHTTPClient
@testable import ConnectServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle
import Testing

/// Running it: health, the access log, reload, shutdown, a missing manifest.
struct OperationsTests {
    @Test func missingManifestSaysToRunBuildSite() throws {
        let fixture = try SiteFixture.make()
        defer { fixture.remove() }
        try FileManager.default.removeItem(atPath: fixture.publicPath + "/.manifest.json")
        var configuration = ConnectServerConfiguration()
        configuration.publicDirectory = fixture.publicPath
        let error = try #require(throws: SiteLoadError.self) {
            try ConnectServer(configuration: configuration, logger: Logger(label: "t"))
        }
        #expect(error.description.contains("swift run build-site"))
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: fixture.publicPath + "/.manifest.json"))
        let invalid = try #require(throws: SiteLoadError.self) {
            try ConnectServer(configuration: configuration, logger: Logger(label: "t"))
        }
        #expect(invalid.description.contains("swift run build-site"))
    }

    @Test func accessLogHasOneLinePerRequestAndNoSecrets() async throws {
        let token = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXVzZXI.SIGNATURE-7421"
        let apiKey = "hd_live_9f3a7c1e2b54"
        let stub = StubUpstream()
        let server = try await stub.run { base in
            let server = try TestServer { $0.upstream = base }
            try await server.test(.live) { client in
                let bearer: HTTPFields = [.authorization: "Bearer \(token)", .cookie: "session=\(token)"]
                _ = try await client.execute(uri: "/connect/?token=\(token)&lang=de", method: .get, headers: bearer)
                _ = try await client.execute(uri: "/?Token=\(token)", method: .get)
                _ = try await client.execute(uri: "/?x=1&access_token=\(token)", method: .get)
                _ = try await client.execute(uri: "/v1/connect/requirements?token=\(token)", method: .get, headers: bearer)
                _ = try await client.execute(
                    uri: "/v1/connect/requirements/\(ProxyTests.requirement)/credentials", method: .post, headers: bearer,
                    body: ByteBuffer(string: #"{"type":"dynamiq.connections.HttpApiKey","config":{"api_key":"\#(apiKey)"}}"#))
                _ = try await client.execute(uri: "/v1/nope?token=\(token)", method: .get, headers: bearer)
                _ = try await client.execute(uri: "/v1/connect/requirements", method: .get, headers: [.authorization: "Basic \(token)"])
                _ = try await client.execute(uri: "/%2e%2e/?token=\(token)", method: .get)
            }
            return server
        }
        let access = server.capture.all.filter { $0.contains("/") && $0.hasPrefix("info ") && $0.contains(" id=") }
        #expect(access.count == 8)
        #expect(access.contains { $0.contains("GET /connect/?token=REDACTED&lang=de 404") })
        #expect(access.contains { $0.contains("POST /v1/connect/requirements/\(ProxyTests.requirement)/credentials 200") })
        for line in server.capture.all {
            #expect(!line.contains(token), "\(line)")
            #expect(!line.contains("SIGNATURE"), "\(line)")
            #expect(!line.contains(apiKey), "\(line)")
            #expect(!line.contains("Bearer"), "\(line)")
        }
    }

    @Test func reloadsANewBuildWithoutFailingARequest() async throws {
        let server = try TestServer { $0.reloadInterval = .milliseconds(20); $0.cacheBytes = 4000 }
        let fixture = server.fixture
        try await server.test(.live) { client in
            let failures = NIOLockedValueBox<[String]>([])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        for _ in 0..<150 {
                            for uri in ["/docs/overview/", "/assets/blob.bin"] {
                                let response = try await client.execute(uri: uri, method: .get)
                                let etag = SiteFixture.etag(Array(buffer: response.body))
                                if response.status != .ok || response.headers[.eTag] != etag {
                                    failures.withLockedValue { $0.append("\(uri) \(response.status)") }
                                }
                            }
                        }
                    }
                }
                group.addTask {
                    for version in 2...6 {
                        try fixture.rebuild(files: SiteFixture.defaultFiles(version: "v\(version)"))
                        try await Task.sleep(for: .milliseconds(60))
                    }
                }
                try await group.waitForAll()
            }
            #expect(failures.withLockedValue { $0 } == [])
            var served = ""
            for _ in 0..<100 where !served.contains("Home v6") {
                served = try await client.execute(uri: "/", method: .get).text
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(served.contains("Home v6"))
        }
    }

    @Test func aBrokenNewManifestKeepsTheOldSite() async throws {
        let server = try TestServer { $0.reloadInterval = .milliseconds(20) }
        let fixture = server.fixture
        try await server.test(.live) { client in
            try Data("{broken".utf8).write(to: URL(fileURLWithPath: fixture.publicPath + "/.manifest.json"))
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await client.execute(uri: "/", method: .get).text.contains("Home v1"))
        }
        #expect(server.capture.all.contains { $0.contains("kept the previous site") })
    }

    @Test func gracefulShutdownFinishesARequestInFlight() async throws {
        let stub = StubUpstream(.slow(.seconds(1)))
        try await stub.run { base in
            let server = try TestServer { $0.upstream = base; $0.upstreamTimeout = .seconds(5) }.makeServer()
            let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
            try await server.withApplication(onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }) { app in
                var configuration = ServiceGroupConfiguration(services: [app], logger: Logger(label: "t"))
                configuration.maximumGracefulShutdownDuration = .seconds(10)
                let group = ServiceGroup(configuration: configuration)
                let client = HTTPClient(eventLoopGroupProvider: .singleton)
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    var iterator = ports.makeAsyncIterator()
                    let port = try #require(await iterator.next())
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/connect/requirements")
                    request.headers.add(name: "Authorization", value: "Bearer t")
                    async let inFlight = client.execute(request, timeout: .seconds(10))
                    while stub.recorded.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
                    await group.triggerGracefulShutdown()
                    let response = try await inFlight
                    #expect(response.status == .ok)
                    let body = try await response.body.collect(upTo: 1 << 16)
                    #expect(String(buffer: body).contains("/v1/connect/requirements"))
                    try await tasks.waitForAll()
                }
                try await client.shutdown()
            }
        }
    }

    // MARK: The executable

    static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/connect-server").path

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary)))
    func executableExitsNonZeroWithoutAManifest() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["--public", "/nonexistent-\(UUID().uuidString)", "--port", "0"]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("swift run build-site"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary)))
    func executableExitsZeroOnSIGTERM() async throws {
        let fixture = try SiteFixture.make()
        defer { fixture.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        // With no upstream the embedded sandbox starts too, with its data in the fixture's folder.
        process.arguments = ["--port", "0", "--log-level", "warning", "--sandbox-dir", fixture.publicPath + "-sandbox"]
        process.environment = ["CONNECT_PUBLIC": fixture.publicPath]
        defer { try? FileManager.default.removeItem(atPath: fixture.publicPath + "-sandbox") }
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = Pipe()
        try process.run()
        var output = ""
        for _ in 0..<200 where !output.contains("serving") {
            output += String(decoding: stdout.fileHandleForReading.availableData, as: UTF8.self)
        }
        #expect(output.contains("serving 6 files"))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}

import AsyncHTTPClient
@testable import ConnectServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

/// Builds a ``ConnectServer`` over a fixture site and runs a test against it.
struct TestServer {
    var fixture: SiteFixture
    var configuration: ConnectServerConfiguration
    var capture = LogCapture()

    init(files: [SiteFixture.File] = SiteFixture.defaultFiles(), _ tweak: (inout ConnectServerConfiguration) -> Void = { _ in }) throws {
        fixture = try SiteFixture.make(files: files)
        configuration = ConnectServerConfiguration()
        configuration.port = 0
        configuration.publicDirectory = fixture.publicPath
        configuration.upstreamTimeout = .seconds(2)
        configuration.upstreamConnectTimeout = .seconds(1)
        tweak(&configuration)
    }

    func makeServer() throws -> ConnectServer {
        try ConnectServer(configuration: configuration, logger: capture.logger("connect-server"),
                          accessLogger: capture.logger("connect-server.access"))
    }

    /// Runs `body` against the server, over sockets (`.live`, which runs the channel's fast path) or in process (`.router`).
    func test<Value: Sendable>(_ setup: TestingSetup = .live,
                               _ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        defer { fixture.remove() }
        let server = try makeServer()
        return try await server.withApplication { app in try await app.test(setup, body) }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

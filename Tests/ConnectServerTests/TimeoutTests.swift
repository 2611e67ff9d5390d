@testable import ConnectServer
import Foundation
import NIOCore
import NIOPosix
import Testing

/// Defect 2 over real sockets: every way of holding a connection without using it ends,
/// and a full server takes new clients again once the idle ones are gone.
struct TimeoutTests {
    static func server(_ tweak: @escaping (inout ServerLimits) -> Void) throws -> TestServer {
        try TestServer { configuration in tweak(&configuration.limits) }
    }

    @Test func aSilentConnectionIsClosedAtTheHeaderTimeout() async throws {
        try await Self.server { $0.headerTimeout = .seconds(1) }.test(.live) { client in
            let clock = ContinuousClock()
            let started = clock.now
            let (text, closed) = try await RawConnection.exchange(port: try #require(client.port), "", timeout: .seconds(15))
            #expect(closed)
            #expect(RawConnection.statusLines(text) == ["HTTP/1.1 408 Request Timeout"])
            // The 408 is the header timeout's; the bound only says it came, well before the
            // client gave up (with every suite running at once on two cores, seconds pass).
            #expect(clock.now - started < .seconds(12))
        }
    }

    @Test func halfAHeaderLineIsClosedAtTheHeaderTimeout() async throws {
        try await Self.server { $0.headerTimeout = .milliseconds(300) }.test(.live) { client in
            let (text, closed) = try await RawConnection.exchange(port: try #require(client.port), "GET / HTTP/1.1\r\nHo",
                                                                  timeout: .seconds(5))
            #expect(closed)
            #expect(RawConnection.statusLines(text) == ["HTTP/1.1 408 Request Timeout"])
        }
    }

    @Test func aKeptAliveConnectionIsClosedAtTheIdleTimeout() async throws {
        try await Self.server { $0.idleTimeout = .milliseconds(300) }.test(.live) { client in
            let (text, closed) = try await RawConnection.exchange(port: try #require(client.port), "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
                                                                  timeout: .seconds(5))
            #expect(closed)
            #expect(RawConnection.statusLines(text) == ["HTTP/1.1 200 OK"])
        }
    }

    @Test func aStalledBodyIsClosedAtTheBodyTimeout() async throws {
        try await Self.server { $0.bodyTimeout = .milliseconds(300) }.test(.live) { client in
            let (text, closed) = try await RawConnection.exchange(port: try #require(client.port),
                "POST /v1/connect/requirements/9b8e2f4d-1c3a-4d5e-8f60-718293a4b5c6/credentials HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer t\r\nContent-Length: 10\r\n\r\n12", timeout: .seconds(5))
            #expect(closed)
            #expect(RawConnection.statusLines(text) == ["HTTP/1.1 408 Request Timeout"])
        }
    }

    /// Past the connection limit a new client is told 503 at once; once a place is free it
    /// is served again. (Freeing places by the timeouts is the tests above.) No timer here
    /// runs out, so a busy machine cannot reap the silent connections early.
    @Test func aFullServerRefusesThenServesOnceAPlaceIsFree() async throws {
        try await Self.server { $0.maxConnections = 3; $0.headerTimeout = .seconds(60) }.test(.live) { client in
            let port = try #require(client.port)
            // Three silent connections fill the server, whatever the test client holds.
            var silent: [any Channel] = []
            for _ in 0..<3 {
                silent.append(try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get())
            }
            try await Task.sleep(for: .milliseconds(100))
            let request = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
            let (refused, _) = try await RawConnection.exchange(port: port, request)
            #expect(RawConnection.statusLines(refused) == ["HTTP/1.1 503 Service Unavailable"])
            #expect(refused.contains("Retry-After: 1"))
            for channel in silent { try? await channel.close() }
            // The server learns of the closes a moment later.
            var served: [String] = []
            for _ in 0..<50 where served != ["HTTP/1.1 200 OK"] {
                try await Task.sleep(for: .milliseconds(100))
                served = RawConnection.statusLines(try await RawConnection.exchange(port: port, request).text)
            }
            #expect(served == ["HTTP/1.1 200 OK"])
        }
    }
}

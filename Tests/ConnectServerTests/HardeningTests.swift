@testable import ConnectServer
import Foundation
import HTTPTypes
import NIOCore
import Testing

/// The defects an attacker and a broken upstream found, each replayed over real sockets.
struct HardeningTests {
    static let token = "Authorization: Bearer eyJ.test.token\r\n"
    static let okAnswer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"data\":[]}"

    /// Defect 3: a valid proxied answer followed by garbage on the same connection: the
    /// client gets the 200, then the 400, as from nginx.
    @Test func garbageAfterAProxiedCallDoesNotEatItsAnswer() async throws {
        let stub = StubUpstream(.slow(.milliseconds(200)))
        try await stub.run { base in
            try await TestServer { $0.upstream = base }.test(.live) { client in
                let (text, closed) = try await RawConnection.exchange(port: try #require(client.port),
                    "GET /v1/connect/requirements HTTP/1.1\r\nHost: a\r\n\(Self.token)\r\nGARBAGE\r\n\r\n")
                #expect(RawConnection.statusLines(text) == ["HTTP/1.1 200 OK", "HTTP/1.1 400 Bad Request"])
                #expect(closed)
            }
        }
    }

    /// Defect 3, second form: after `Connection: close`, a pipelined GET is not answered and
    /// the proxied answer is not lost.
    @Test func aPipelinedRequestAfterConnectionCloseIsIgnored() async throws {
        let stub = StubUpstream(.slow(.milliseconds(200)))
        try await stub.run { base in
            try await TestServer { $0.upstream = base }.test(.live) { client in
                let (text, closed) = try await RawConnection.exchange(port: try #require(client.port),
                    "GET /v1/connect/requirements HTTP/1.1\r\nHost: a\r\n\(Self.token)Connection: close\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(RawConnection.statusLines(text) == ["HTTP/1.1 200 OK"])
                #expect(text.contains("\"path\""))
                #expect(closed)
            }
        }
    }

    /// Defect 4: an HTTP/1.0 keep-alive client and an upstream that answers in chunks: the
    /// answer says `Connection: close` and the connection ends, so no second answer can
    /// land inside the first body.
    @Test func anHTTP10KeepAliveClientGetsACloseDelimitedAnswer() async throws {
        try await RawUpstream.run(.chunked) { base in
            try await TestServer { $0.upstream = base }.test(.live) { client in
                let request = "GET /v1/connect/requirements HTTP/1.0\r\nConnection: keep-alive\r\n\(Self.token)\r\n"
                let (text, closed) = try await RawConnection.exchange(port: try #require(client.port), request + request)
                #expect(RawConnection.statusLines(text) == ["HTTP/1.0 200 OK"])
                #expect(text.lowercased().contains("\r\nconnection: close\r\n"))
                #expect(text.hasSuffix("{\"data\":[]}"), "\(text)")
                #expect(closed)
            }
        }
    }

    /// Defect 5: bytes after a whole answer (a 200 with more after its length, a 204 with a
    /// body) never reach the next call on that connection.
    @Test(arguments: [
        okAnswer + "HTTP/1.1 200 OK\r\nX-Evil: 1\r\n",
        okAnswer + "EXTRA",
        "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nX-Evil: 1\r\n",
    ])
    func bytesBeyondAnAnswerSpoilItsConnection(reply: String) async throws {
        try await RawUpstream.run(.raw(reply)) { base in
            try await TestServer { $0.upstream = base }.test(.live) { client in
                for attempt in 1...6 {
                    let (text, _) = try await RawConnection.exchange(port: try #require(client.port),
                        "GET /v1/connect/requirements HTTP/1.1\r\nHost: a\r\n\(Self.token)Connection: close\r\n\r\n")
                    let status = RawConnection.statusLines(text).first ?? ""
                    #expect(status == "HTTP/1.1 200 OK" || status == "HTTP/1.1 204 No Content", "call \(attempt): \(text)")
                    #expect(!text.contains("X-Evil") && !text.contains("EXTRA"), "call \(attempt): \(text)")
                }
            }
        }
    }

    /// Defect 6: a 101 nobody asked for is a 502, and its connection does not go back to
    /// the pool, so the next call is answered at once, not after the timeout.
    @Test func switchingProtocolsFromTheUpstreamIs502() async throws {
        try await RawUpstream.run(.raw("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n")) { base in
            try await TestServer { $0.upstream = base; $0.upstreamTimeout = .seconds(10) }.test(.live) { client in
                let clock = ContinuousClock()
                for _ in 1...4 {
                    let started = clock.now
                    let response = try await client.execute(uri: "/v1/connect/requirements", method: .get,
                                                            headers: [.authorization: "Bearer t"])
                    #expect(response.status == .badGateway)
                    #expect(clock.now - started < .seconds(5), "waited for the upstream timeout")
                }
            }
        }
    }

    /// Defect 7: raw bytes in the query reach the upstream percent-encoded.
    @Test func aRawQueryIsForwardedEncoded() async throws {
        let stub = StubUpstream()
        try await stub.run { base in
            try await TestServer { $0.upstream = base }.test(.live) { client in
                let (text, _) = try await RawConnection.exchange(port: try #require(client.port),
                    "GET /v1/connect/requirements?q=\"<script> HTTP/1.1\r\nHost: a\r\n\(Self.token)Connection: close\r\n\r\n")
                #expect(RawConnection.statusLines(text) == ["HTTP/1.1 200 OK"])
            }
            #expect(stub.recorded.first?.path == "/base/v1/connect/requirements?q=%22%3Cscript%3E")
        }
    }

    /// Defect 8: a coding other than a lone `chunked` is 501, and nothing goes upstream.
    @Test func identityChunkedIs501() async throws {
        let stub = StubUpstream()
        try await stub.run { base in
            try await TestServer { $0.upstream = base }.test(.live) { client in
                let (text, closed) = try await RawConnection.exchange(port: try #require(client.port),
                    "POST /v1/connect/requirements/9b8e2f4d-1c3a-4d5e-8f60-718293a4b5c6/credentials HTTP/1.1\r\nHost: a\r\n\(Self.token)"
                    + "Transfer-Encoding: identity, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
                #expect(RawConnection.statusLines(text) == ["HTTP/1.1 501 Not Implemented"])
                #expect(closed)
            }
            #expect(stub.recorded.isEmpty)
        }
    }

    /// Defect 10: a refusal is answered before a large body, and the connection closes
    /// rather than read 30 MB to throw away.
    @Test(arguments: ["POST /v1/connect/requirements HTTP/1.1\r\n", "POST /v1/nowhere HTTP/1.1\r\n\(token)", "GET / HTTP/1.1\r\n"])
    func aRefusalDoesNotWaitForALargeBody(requestLine: String) async throws {
        try await TestServer().test(.live) { client in
            let (text, closed) = try await RawConnection.exchange(port: try #require(client.port),
                requestLine + "Host: a\r\nContent-Length: 30000000\r\n\r\n" + String(repeating: "a", count: 1000), timeout: .seconds(3))
            #expect(RawConnection.statusLines(text).count == 1, "\(text)")
            #expect(closed, "the server waited for the 30 MB body")
        }
    }

    /// Defect 11: 1,001 header lines are refused with 431.
    @Test func aThousandHeadersAre431() async throws {
        try await TestServer().test(.live) { client in
            let headers = (0...1000).map { "X-H\($0): v\r\n" }.joined()
            let (text, closed) = try await RawConnection.exchange(port: try #require(client.port),
                "GET / HTTP/1.1\r\nHost: a\r\n" + headers + "\r\n")
            #expect(RawConnection.statusLines(text) == ["HTTP/1.1 431 Request Header Fields Too Large"])
            #expect(closed)
        }
    }

    /// Defect 9: tokens in any query spelling, and a raw fragment, never reach the log.
    @Test func tokenSpellingsAreRedactedInTheAccessLog() async throws {
        let server = try TestServer()
        let capture = server.capture
        try await server.test(.live) { client in
            for target in ["/?x=1;token=SECRET1", "/?token+=SECRET2", "/?token%5B%5D=SECRET3", "/connect/#token=SECRET4"] {
                _ = try await RawConnection.exchange(port: try #require(client.port),
                                                     "GET \(target) HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            }
        }
        let logged = capture.all.joined(separator: "\n")
        for secret in ["SECRET1", "SECRET2", "SECRET3", "SECRET4"] { #expect(!logged.contains(secret), "\(secret) in \(logged)") }
        #expect(logged.contains("REDACTED"))
    }

    /// Defect 1: a client that pipelines requests and never reads makes the server stop
    /// reading: its writes back up in the sockets, and the server's memory stays flat.
    @Test func aClientThatNeverReadsIsNotReadWithoutEnd() async throws {
        let server = try TestServer()
        let capture = server.capture
        try await server.test(.live) { client in
            let wrote = try await RawConnection.writeWithoutReading(port: try #require(client.port),
                String(repeating: "GET /assets/site.3f2a1c9e.css HTTP/1.1\r\nHost: a\r\n\r\n", count: 400_000), for: .seconds(5))
            let answered = capture.all.count { $0.contains("/assets/site.3f2a1c9e.css") }
            #expect(!wrote, "the server read 20 MB of requests from a client that took none of its answers")
            // What the sockets' buffers hold, and no more: each answer is about 500 bytes.
            #expect(answered < 8_000, "\(answered) answers were made for a client that read none")
        }
    }

    /// The test process's resident memory (the server runs in it), from /proc.
    static func residentMegabytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
}

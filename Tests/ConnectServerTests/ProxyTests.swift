import AsyncHTTPClient
@testable import ConnectServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The proxy of `/v1/connect/*` against a stub upstream started in the test.
struct ProxyTests {
    static let requirement = "9b8e2f4d-1c3a-4d5e-8f60-718293a4b5c6"
    static let bearer: HTTPFields = [.authorization: "Bearer eyJ.test.token"]

    @Test func forwardsAnAllowedCallWithItsBasePathQueryAndHeaders() async throws {
        let stub = StubUpstream()
        try await stub.run { base in
            let server = try TestServer { $0.upstream = base + "/" }
            try await server.test(.live) { client in
                var headers = Self.bearer
                headers[.accept] = "application/json"
                headers[.acceptLanguage] = "de"
                headers[.userAgent] = "tests"
                headers[.cookie] = "session=abc"
                headers[HTTPField.Name("X-Forwarded-For")!] = "6.6.6.6"
                headers[HTTPField.Name("X-Forwarded-Host")!] = "evil.example"
                headers[HTTPField.Name("X-Request-Id")!] = "client-id-42"
                headers[HTTPField.Name("X-Secret-Internal")!] = "x"
                let response = try await client.execute(uri: "/v1/connect/requirements?lang=de&x=1", method: .get, headers: headers)
                #expect(response.status == .ok)
                #expect(response.text.contains("/base/v1/connect/requirements?lang=de&x=1"))
                // Downstream: hop-by-hop and Connection-named gone, ours added, id echoed.
                #expect(response.headers[HTTPField.Name("X-Upstream-Private")!] == nil)
                #expect(response.headers[HTTPField.Name("Keep-Alive")!] == nil)
                #expect(response.headers[HTTPField.Name("X-Upstream-Kept")!] == "yes")
                #expect(response.headers[HTTPField.Name("X-Request-Id")!] == "client-id-42")
                #expect(response.headers[.contentSecurityPolicy] != nil)
            }
            let call = try #require(stub.recorded.first)
            #expect(call.method == "GET")
            #expect(call.path == "/base/v1/connect/requirements?lang=de&x=1")
            #expect(call.headers[.authorization] == "Bearer eyJ.test.token")
            #expect(call.headers[.accept] == "application/json")
            #expect(call.headers[.userAgent] == "tests")
            #expect(call.headers[.acceptLanguage] == "de")
            #expect(call.headers[.cookie] == nil)
            #expect(call.headers[HTTPField.Name("X-Secret-Internal")!] == nil)
            #expect(call.headers[HTTPField.Name("X-Forwarded-For")!] == "127.0.0.1", "client's XFF dropped: peer untrusted")
            #expect(call.headers[HTTPField.Name("X-Forwarded-Host")!] == "localhost")
            #expect(call.headers[HTTPField.Name("X-Forwarded-Proto")!] == "http")
            #expect(call.headers[HTTPField.Name("X-Request-Id")!] == "client-id-42")
        }
    }

    /// Over a raw connection, since the test client sets its own `Connection` header.
    @Test func headersNamedInConnectionAreDropped() async throws {
        let stub = StubUpstream()
        try await stub.run { base in
            let server = try TestServer { $0.upstream = base }
            try await server.test(.live) { client in
                let (text, _) = try await RawConnection.exchange(port: try #require(client.port), """
                    GET /v1/connect/requirements HTTP/1.1\r
                    Host: localhost\r
                    Authorization: Bearer t\r
                    Accept-Language: de\r
                    User-Agent: tests\r
                    Connection: close, Accept-Language\r
                    TE: trailers\r
                    \r

                    """)
                #expect(RawConnection.statusLines(text) == ["HTTP/1.1 200 OK"])
            }
            let call = try #require(stub.recorded.first)
            #expect(call.headers[.acceptLanguage] == nil)
            #expect(call.headers[.te] == nil)
            #expect(call.headers[.userAgent] == "tests")
            #expect(call.headers[HTTPField.Name("X-Forwarded-For")!] == "127.0.0.1")
        }
    }

    @Test func trustedPeerKeepsTheClientsForwardedHeaders() async throws {
        let stub = StubUpstream()
        try await stub.run { base in
            let server = try TestServer { $0.upstream = base; $0.trustedProxies = ["127.0.0.1"] }
            try await server.test(.live) { client in
                var headers = Self.bearer
                headers[HTTPField.Name("X-Forwarded-For")!] = "203.0.113.7"
                headers[HTTPField.Name("X-Forwarded-Proto")!] = "https"
                headers[HTTPField.Name("X-Forwarded-Host")!] = "connect.example"
                headers[HTTPField.Name("X-Request-Id")!] = "bad id with spaces"
                let response = try await client.execute(uri: "/v1/connect/requirements/status", method: .get, headers: headers)
                #expect(response.status == .ok)
                let id = try #require(response.headers[HTTPField.Name("X-Request-Id")!])
                #expect(id != "bad id with spaces" && id.count == 32)
            }
            let call = try #require(stub.recorded.first)
            #expect(call.headers[HTTPField.Name("X-Forwarded-For")!] == "203.0.113.7, 127.0.0.1")
            #expect(call.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https")
            #expect(call.headers[HTTPField.Name("X-Forwarded-Host")!] == "connect.example")
            #expect(call.headers[HTTPField.Name("X-Request-Id")!]?.count == 32)
        }
    }

    @Test func postsTheBody() async throws {
        let stub = StubUpstream()
        try await stub.run { base in
            let server = try TestServer { $0.upstream = base }
            try await server.test(.live) { client in
                var headers = Self.bearer
                headers[.contentType] = "application/json"
                let body = #"{"type":"dynamiq.connections.HttpApiKey","config":{"api_key":"k"}}"#
                let response = try await client.execute(uri: "/v1/connect/requirements/\(Self.requirement)/credentials",
                                                        method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect(response.status == .ok)
                #expect(stub.recorded.first?.body == body)
                #expect(stub.recorded.first?.headers[.contentType] == "application/json")
            }
        }
    }

    @Test func withoutBearerIs401AndNoCallUpstream() async throws {
        let stub = StubUpstream()
        try await stub.run { base in
            let server = try TestServer { $0.upstream = base }
            try await server.test(.live) { client in
                for headers: HTTPFields in [[:], [.authorization: "Basic dXNlcjpw"], [.authorization: "Bearer "], [.authorization: "Bearer"]] {
                    let response = try await client.execute(uri: "/v1/connect/requirements", method: .get, headers: headers)
                    #expect(response.status == .unauthorized)
                    #expect(response.text == #"{"error":{"code":"unauthorized","message":"Unauthorized"}}"#)
                    #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                }
            }
            #expect(stub.recorded.isEmpty)
        }
    }

    @Test(arguments: [
        ("/v1/connect/tokens", HTTPRequest.Method.post), ("/v1/requirements/status", .get), ("/v1/connect/requirements", .post),
        ("/v1/connect/requirements/not-a-uuid/credentials", .post), ("/v1/connect/requirements/\(requirement)/credentials", .get),
        ("/v1/connect/requirements/\(requirement)/delete", .post), ("/v1/connect/requirements/", .get), ("/v1", .get),
        ("/v1/connect/requirements/..%2fstatus", .get), ("/v1/connect/requirements/%2e%2e/status", .get),
    ])
    func otherV1PathsAre404InTheContractShape(path: String, method: HTTPRequest.Method) async throws {
        let stub = StubUpstream()
        try await stub.run { base in
            let server = try TestServer { $0.upstream = base }
            try await server.test(.live) { client in
                let response = try await client.execute(uri: path, method: method, headers: Self.bearer)
                #expect(response.status == .notFound)
                #expect(response.text == #"{"error":{"code":"not_found","message":"Not Found"}}"#)
            }
            #expect(stub.recorded.isEmpty)
        }
    }

    @Test func bodyOver64KiBIs413() async throws {
        let stub = StubUpstream()
        try await stub.run { base in
            let server = try TestServer { $0.upstream = base }
            try await server.test(.live) { client in
                let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: 64 * 1024 + 1)
                let response = try await client.execute(uri: "/v1/connect/requirements/\(Self.requirement)/credentials",
                                                        method: .post, headers: Self.bearer, body: big)
                #expect(response.status == .contentTooLarge)
                #expect(response.text.contains("payload_too_large"))
                let fits = ByteBuffer(repeating: UInt8(ascii: "a"), count: 64 * 1024)
                let ok = try await client.execute(uri: "/v1/connect/requirements/\(Self.requirement)/credentials",
                                                  method: .post, headers: Self.bearer, body: fits)
                #expect(ok.status == .ok)
            }
            #expect(stub.recorded.count == 1)
        }
    }

    /// Both framings at once is a smuggling attempt: refused, never forwarded.
    @Test func contentLengthWithTransferEncodingIsRejected() async throws {
        let stub = StubUpstream()
        try await stub.run { base in
            let server = try TestServer { $0.upstream = base }
            try await server.test(.live) { client in
                let (text, _) = try await RawConnection.exchange(port: try #require(client.port), """
                    POST /v1/connect/requirements/\(Self.requirement)/credentials HTTP/1.1\r
                    Host: localhost\r
                    Authorization: Bearer t\r
                    Content-Length: 4\r
                    Transfer-Encoding: chunked\r
                    \r
                    2\r
                    {}\r
                    0\r
                    \r

                    """, timeout: .seconds(2))
                #expect(RawConnection.statusLines(text).first == "HTTP/1.1 400 Bad Request")
            }
            #expect(stub.recorded.isEmpty)
        }
    }

    @Test func rateLimitAnswers429WithRetryAfter() async throws {
        let stub = StubUpstream()
        try await stub.run { base in
            let server = try TestServer { $0.upstream = base; $0.rateLimitPerMinute = 3 }
            try await server.test(.live) { client in
                for _ in 0..<3 {
                    let response = try await client.execute(uri: "/v1/connect/requirements", method: .get, headers: Self.bearer)
                    #expect(response.status == .ok)
                }
                let limited = try await client.execute(uri: "/v1/connect/requirements", method: .get, headers: Self.bearer)
                #expect(limited.status == .tooManyRequests)
                // 20 s for a token at 3 a minute, less what the calls before took on a busy machine.
                #expect(["18", "19", "20"].contains(limited.headers[.retryAfter] ?? ""))
                #expect(limited.text.contains("too_many_requests"))
                // The site is not limited.
                #expect(try await client.execute(uri: "/", method: .get).status == .ok)
            }
            #expect(stub.recorded.count == 3)
        }
    }

    @Test func tokenBucketRefills() {
        let limiter = RateLimiter(perMinute: 60)
        for _ in 0..<60 { #expect(limiter.acquire(client: "a", now: 0) == .allowed) }
        #expect(limiter.acquire(client: "a", now: 0) == .limited(retryAfterSeconds: 1))
        #expect(limiter.acquire(client: "b", now: 0) == .allowed)
        #expect(limiter.acquire(client: "a", now: 1_000_000_000) == .allowed)
        #expect(RateLimiter(perMinute: 0).acquire(client: "a", now: 0) == .allowed)
    }

    @Test func upstreamRedirectIsNotFollowed() async throws {
        let stub = StubUpstream(.redirect)
        try await stub.run { base in
            let server = try TestServer { $0.upstream = base }
            try await server.test(.live) { client in
                let response = try await client.execute(uri: "/v1/connect/requirements", method: .get, headers: Self.bearer)
                #expect(response.status == .found)
                #expect(response.headers[.location] == "http://127.0.0.1:1/elsewhere")
            }
            #expect(stub.recorded.count == 1)
        }
    }

    @Test func upstream500PassesThrough() async throws {
        let stub = StubUpstream(.serverError)
        try await stub.run { base in
            let server = try TestServer { $0.upstream = base }
            try await server.test(.live) { client in
                let response = try await client.execute(uri: "/v1/connect/requirements", method: .get, headers: Self.bearer)
                #expect(response.status == .internalServerError)
                #expect(response.headers[.contentSecurityPolicy] != nil)
            }
        }
    }

    @Test func slowUpstreamIs504AtTheTimeout() async throws {
        let stub = StubUpstream(.slow(.seconds(5)))
        try await stub.run { base in
            let server = try TestServer { $0.upstream = base; $0.upstreamTimeout = .milliseconds(500) }
            try await server.test(.live) { client in
                let clock = ContinuousClock()
                let started = clock.now
                let response = try await client.execute(uri: "/v1/connect/requirements", method: .get, headers: Self.bearer)
                #expect(response.status == .gatewayTimeout)
                #expect(response.text == #"{"error":{"code":"gateway_timeout","message":"The upstream did not answer in time."}}"#)
                // Cut by the 500 ms timeout, before the upstream's 5 s answer. Only that bound:
                // with every suite running at once on two cores, a call can take seconds.
                #expect(clock.now - started < .seconds(5))
                // The site keeps being served meanwhile.
                #expect(try await client.execute(uri: "/", method: .get).status == .ok)
            }
        }
    }

    @Test func downUpstreamIs502Fast() async throws {
        let server = try TestServer { $0.upstream = "http://127.0.0.1:1/base"; $0.upstreamTimeout = .seconds(30) }
        try await server.test(.live) { client in
            let clock = ContinuousClock()
            let started = clock.now
            let response = try await client.execute(uri: "/v1/connect/requirements", method: .get, headers: Self.bearer)
            #expect(response.status == .badGateway)
            #expect(response.text == #"{"error":{"code":"bad_gateway","message":"The upstream could not be reached or sent an invalid answer."}}"#)
            // A refused connection is answered when it is refused, not at the 30 s timeout
            // (a loose bound: with every suite running at once on two cores, a call can take seconds).
            #expect(clock.now - started < .seconds(15))
        }
    }

    /// An https upstream goes through TLS: a plain-HTTP server behind an https URL fails
    /// the handshake, which the client sees as the contract's 502, the token unlogged.
    @Test func httpsUpstreamSpeaksTLS() async throws {
        let stub = StubUpstream()
        try await stub.run { base in
            let server = try TestServer { $0.upstream = base.replacingOccurrences(of: "http://", with: "https://") }
            try await server.test(.live) { client in
                let response = try await client.execute(uri: "/v1/connect/requirements", method: .get, headers: Self.bearer)
                #expect(response.status == .badGateway)
                #expect(response.text.contains("bad_gateway"))
            }
            let logged = server.capture.all.joined(separator: "\n")
            #expect(logged.contains("upstream call failed") && logged.contains("SSL"), "\(logged)")
            #expect(!logged.contains("Bearer"))
        }
    }

    @Test func anUpstreamThatIsNotAnHTTPURLStopsTheServer() throws {
        for upstream in ["ftp://example.com", "not a url", "https://"] {
            let server = try TestServer { $0.upstream = upstream }
            defer { server.fixture.remove() }
            #expect(throws: ConfigurationError.self) { try server.makeServer() }
        }
    }

    /// A kept-alive connection the upstream dropped while idle: a GET goes again on a fresh
    /// connection and succeeds; a POST is never sent twice, and fails with 502.
    @Test func aDroppedKeptConnectionIsRetriedForAGetOnly() async throws {
        try await RawUpstream.run(.dropsSecondRequest) { base in
            let server = try TestServer { $0.upstream = base }
            try await server.test(.live) { client in
                for attempt in 1...3 {
                    let response = try await client.execute(uri: "/v1/connect/requirements", method: .get, headers: Self.bearer)
                    #expect(response.status == .ok, "GET \(attempt)")
                }
                let post = try await client.execute(uri: "/v1/connect/requirements/\(Self.requirement)/credentials", method: .post,
                                                    headers: Self.bearer, body: ByteBuffer(string: "{}"))
                #expect(post.status == .badGateway)
            }
        }
    }

    /// An upstream that closes after each answer: its connections are not reused, so a
    /// POST (never retried) does not land on a closed one.
    @Test func anUpstreamThatClosesIsNotReused() async throws {
        try await RawUpstream.run(.closesAfterAnswer) { base in
            let server = try TestServer { $0.upstream = base }
            try await server.test(.live) { client in
                for attempt in 1...5 {
                    let post = try await client.execute(uri: "/v1/connect/requirements/\(Self.requirement)/credentials",
                                                        method: .post, headers: Self.bearer, body: ByteBuffer(string: "{}"))
                    #expect(post.status == .ok, "POST \(attempt)")
                }
            }
        }
    }

    /// An HTTP/1.0 client gets an HTTP/1.0 answer without chunk markers, even when the
    /// upstream sent its body in chunks, and the connection closes after it.
    @Test func anHTTP10ClientGetsNoChunks() async throws {
        try await RawUpstream.run(.chunked) { base in
            let server = try TestServer { $0.upstream = base }
            try await server.test(.live) { client in
                let (text, closed) = try await RawConnection.exchange(port: try #require(client.port),
                    "GET /v1/connect/requirements HTTP/1.0\r\nAuthorization: Bearer t\r\n\r\n")
                #expect(closed)
                #expect(text.hasPrefix("HTTP/1.0 200 OK\r\n"))
                #expect(text.hasSuffix("\r\n\r\n{\"data\":[]}"), "\(text)")
            }
        }
    }

    /// A body declared over the limit is refused at once and the connection closed: the
    /// server does not read megabytes it will throw away.
    @Test func aBodyDeclaredTooLargeIsRefusedWithoutReadingIt() async throws {
        let stub = StubUpstream()
        try await stub.run { base in
            let server = try TestServer { $0.upstream = base }
            try await server.test(.live) { client in
                let (text, closed) = try await RawConnection.exchange(port: try #require(client.port),
                    "POST /v1/connect/requirements/\(Self.requirement)/credentials HTTP/1.1\r\nHost: a\r\n"
                    + "Authorization: Bearer t\r\nContent-Length: 50000000\r\n\r\n{\"partial\":", timeout: .seconds(3))
                #expect(closed, "the server waited for the 50 MB body")
                #expect(RawConnection.statusLines(text) == ["HTTP/1.1 413 Payload Too Large"])
                #expect(text.contains("payload_too_large"))
            }
            #expect(stub.recorded.isEmpty)
        }
    }

    @Test(arguments: [RawUpstream.Mode.garbage, .reset])
    func garbageOrResetIs502(mode: RawUpstream.Mode) async throws {
        try await RawUpstream.run(mode) { base in
            let server = try TestServer { $0.upstream = base }
            try await server.test(.live) { client in
                let response = try await client.execute(uri: "/v1/connect/requirements", method: .get, headers: Self.bearer)
                #expect(response.status == .badGateway)
                #expect(!response.text.contains("Error"))
                #expect(response.text.contains("bad_gateway"))
            }
        }
    }

    @Test func noUpstreamConfiguredIs502WithAMessage() async throws {
        try await TestServer().test(.live) { client in
            let response = try await client.execute(uri: "/v1/connect/requirements", method: .get, headers: Self.bearer)
            #expect(response.status == .badGateway)
            #expect(response.text.contains("No upstream is configured"))
            #expect(response.headers[HTTPField.Name("X-Request-Id")!] != nil)
        }
    }
}

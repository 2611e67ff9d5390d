@testable import ConnectServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The channel's fast path (``SiteFastPath``) answers the common file requests below
/// Hummingbird. These tests hold it to the Hummingbird path's answers and to HTTP/1.1's
/// ordering and connection rules.
struct FastPathTests {
    /// The requests the fast path answers itself, and one each it must hand on.
    static let requests: [(uri: String, method: HTTPRequest.Method, headers: HTTPFields)] = {
        let site = SiteFixture.defaultFiles()
        let etag = SiteFixture.etag(site[0].body)
        return [
            ("/", .get, [:]),
            ("/", .get, [.acceptEncoding: "gzip, br"]),
            ("/", .get, [.acceptEncoding: "gzip;q=0"]),
            ("/", .head, [.acceptEncoding: "gzip"]),
            ("/", .get, [.ifNoneMatch: etag]),
            ("/", .get, [.ifNoneMatch: "\"other\", \(etag)"]),
            ("/assets/site.3f2a1c9e.css", .get, [.acceptEncoding: "gzip"]),
            ("/assets/blob.bin", .get, [:]),
            ("/empty.txt", .get, [:]),
            ("/empty.txt", .head, [:]),
            // Handed on: a range, a redirect, a 404, a refused method.
            ("/assets/blob.bin", .get, [.range: "bytes=-10"]),
            ("/docs/overview", .get, [:]),
            ("/nowhere", .get, [:]),
            ("/", .post, [:]),
        ]
    }()

    /// Each request gets the same status, headers and body from the fast path as from
    /// Hummingbird's responder, so neither path can drift from the other.
    @Test func answersExactlyAsTheHummingbirdPathDoes() async throws {
        for request in Self.requests {
            let viaResponder = try await TestServer { $0.fastPath = false }.test(.live) { client in
                try await client.execute(uri: request.uri, method: request.method, headers: request.headers)
            }
            let viaChannel = try await TestServer().test(.live) { client in
                try await client.execute(uri: request.uri, method: request.method, headers: request.headers)
            }
            let label = "\(request.method) \(request.uri) \(request.headers)"
            #expect(viaChannel.status == viaResponder.status, "\(label)")
            #expect(viaChannel.body == viaResponder.body, "\(label)")
            for field in viaResponder.headers where field.name != .date && field.name != .xRequestID {
                #expect(viaChannel.headers[values: field.name] == viaResponder.headers[values: field.name],
                        "\(label): \(field.name) \(viaChannel.headers)")
            }
        }
    }

    /// Pipelined requests come back in the order asked, whichever handler answers them:
    /// Hummingbird, the fast path, or the proxy with a slow upstream.
    @Test func pipelinedAnswersKeepTheirOrder() async throws {
        let stub = StubUpstream(.slow(.milliseconds(300)))
        try await stub.run { base in
            try await TestServer { $0.upstream = base }.test(.live) { client in
                let requests = ["/healthz", "/v1/connect/requirements", "/", "/docs/overview", "/assets/site.3f2a1c9e.css",
                                "/nowhere", "/empty.txt"]
                var wire = ""
                for (index, path) in requests.enumerated() {
                    wire += "GET \(path) HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\n"
                    wire += index == requests.count - 1 ? "Connection: close\r\n\r\n" : "\r\n"
                }
                let (text, closed) = try await RawConnection.exchange(port: try #require(client.port), wire)
                #expect(closed)
                #expect(RawConnection.statusLines(text) == [
                    "HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 301 Moved Permanently",
                    "HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK",
                ])
                // The bodies come in the same order: health, the upstream's echo, the home page.
                let health = try #require(text.range(of: "\"files\""))
                let proxied = try #require(text.range(of: "/v1/connect/requirements\""))
                let home = try #require(text.range(of: "<h1>Home v1</h1>"))
                #expect(health.lowerBound < proxied.lowerBound)
                #expect(proxied.lowerBound < home.lowerBound)
            }
        }
    }

    /// A request that asks to close the connection is answered, then the connection closes;
    /// HTTP/1.0 likewise, unless it asks to keep it.
    @Test(arguments: [true, false])
    func closesWhenAsked(fastPath: Bool) async throws {
        try await TestServer { $0.fastPath = fastPath }.test(.live) { client in
            let port = try #require(client.port)
            for request in ["GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", "GET / HTTP/1.0\r\n\r\n"] {
                let (text, closed) = try await RawConnection.exchange(port: port, request)
                #expect(closed, "\(request)")
                #expect(text.contains("<h1>Home v1</h1>"), "\(request)")
                #expect(text.lowercased().contains("\r\nconnection: close\r\n"), "the last answer must say so: \(request)")
            }
        }
    }

    /// Each fast answer is in the access log, like every other request.
    @Test func fastAnswersAreLogged() async throws {
        let server = try TestServer()
        let capture = server.capture
        try await server.test(.live) { client in
            _ = try await client.execute(uri: "/assets/site.3f2a1c9e.css?v=1", method: .get,
                                         headers: [.xRequestID: "fast-path-check"])
        }
        let lines = capture.all.filter { $0.contains("fast-path-check") }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("GET /assets/site.3f2a1c9e.css?v=1 200") == true)
    }
}

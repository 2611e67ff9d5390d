@testable import ConnectServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every kind of response carries the security headers.
struct SecurityHeaderTests {
    static let requests: [(String, HTTPRequest.Method, HTTPFields)] = [
        ("/", .get, [:]), ("/", .head, [:]), ("/", .post, [:]), ("/nope", .get, [:]), ("/docs/overview", .get, [:]),
        ("/assets/blob.bin", .get, [.range: "bytes=0-1"]), ("/assets/blob.bin", .get, [.range: "bytes=99999-"]),
        ("/", .get, [.ifNoneMatch: "*"]), ("/%00", .get, [:]), ("/.env", .get, [:]), ("/healthz", .get, [:]),
        ("/v1/nope", .get, [:]), ("/v1/connect/requirements", .get, [:]),
        ("/v1/connect/requirements", .get, [.authorization: "Bearer t"]), ("/", .get, [.acceptEncoding: "gzip"]),
    ]

    @Test(arguments: [false, true])
    func onEveryResponse(hsts: Bool) async throws {
        let server = try TestServer { $0.hsts = hsts }
        try await server.test { client in
            for (uri, method, headers) in Self.requests {
                let response = try await client.execute(uri: uri, method: method, headers: headers)
                let csp = try #require(response.headers[.contentSecurityPolicy], "\(method) \(uri)")
                #expect(csp.hasPrefix("default-src 'self'"))
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(csp.contains("base-uri 'none'"))
                #expect(csp.contains("object-src 'none'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect((response.headers[.strictTransportSecurity] != nil) == hsts, "\(uri)")
            }
        }
    }
}

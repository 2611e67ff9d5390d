@testable import ConnectServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every kind of response carries the security headers (a 304 repeats only its
/// validators: `StaticFileTests.aNotModifiedCarriesOnlyItsValidators`).
struct SecurityHeaderTests {
    static let requests: [(String, HTTPRequest.Method, HTTPFields)] = [
        ("/", .get, [:]), ("/", .head, [:]), ("/", .post, [:]), ("/nope", .get, [:]), ("/docs/overview", .get, [:]),
        ("/assets/blob.bin", .get, [.range: "bytes=0-1"]), ("/assets/blob.bin", .get, [.range: "bytes=99999-"]),
        ("/%00", .get, [:]), ("/index.html", .get, [:]), ("/.env", .get, [:]), ("/healthz", .get, [:]),
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

    /// A page that inlines its first paint (the connect page) is allowed exactly the
    /// script and style the manifest lists, by digest, on every path that serves it; every
    /// other answer keeps `'self'` alone, and a listed value that is no digest is dropped.
    @Test func aPageWithInlineCodeIsAllowedItsDigestsOnly() async throws {
        let script = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", style = "RFWPLDbv2BY+rCkDzsE+0fr8ylGr2R2faWMhq4lfEQc="
        var files = SiteFixture.defaultFiles()
        let filler = String(repeating: "x", count: 2000)
        files.append(SiteFixture.File(path: "/connect/", file: "connect/index.html", body: Array("<script>\(filler)</script>".utf8), gzip: true,
                                      scriptHashes: [script, "x' 'unsafe-inline"], styleHashes: [style]))
        let server = try TestServer(files: files)
        try await server.test { client in
            for headers: HTTPFields in [[:], [.acceptEncoding: "gzip"], [.range: "bytes=0-3"]] {
                for method: HTTPRequest.Method in [.get, .head] {
                    let page = try await client.execute(uri: "/connect/", method: method, headers: headers)
                    let csp = try #require(page.headers[.contentSecurityPolicy])
                    #expect(csp.contains("script-src 'self' 'sha256-\(script)';"), "\(method) \(headers)")
                    #expect(csp.contains("style-src 'self' 'sha256-\(style)';"))
                    #expect(!csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"))
                }
            }
            let other = try await client.execute(uri: "/", method: .get)
            #expect(other.headers[.contentSecurityPolicy] == SecurityHeaders.contentSecurityPolicy)
            #expect(other.headers[.contentSecurityPolicy]?.contains("script-src 'self';") == true)
        }
    }

    /// The connect page may be embedded by exactly the Apps' allowed origins: its policy
    /// names them and it drops `X-Frame-Options: DENY`, which cannot; an entry that is no
    /// origin is dropped; every other page stays unframeable.
    @Test func aPageEmbeddableByItsOriginsNamesThemAndNoOneElse() async throws {
        var files = SiteFixture.defaultFiles()
        files.append(SiteFixture.File(path: "/connect/", file: "connect/index.html", body: Array("<p>connect</p>".utf8),
                                      frameAncestors: ["https://app.example.com", "http://127.0.0.1:8081", "https://x; script-src *"]))
        let server = try TestServer(files: files)
        try await server.test { client in
            for method: HTTPRequest.Method in [.get, .head] {
                let page = try await client.execute(uri: "/connect/", method: method)
                let csp = try #require(page.headers[.contentSecurityPolicy])
                #expect(csp.contains("frame-ancestors https://app.example.com http://127.0.0.1:8081;"), "\(csp)")
                #expect(!csp.contains("script-src *"))
                #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == nil)
            }
            let other = try await client.execute(uri: "/docs/overview/", method: .get)
            #expect(other.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(other.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
        }
    }
}

@testable import ConnectServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The static half: the ETag / Range / gzip / HEAD / 304 / 405 / 416 matrix.
struct StaticFileTests {
    let files = SiteFixture.defaultFiles()
    var home: SiteFixture.File { files[0] }
    var blob: SiteFixture.File { files[3] }

    @Test func servesAPageWithItsManifestHeaders() async throws {
        let home = home
        try await TestServer().test { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.contentLength] == String(home.body.count))
            #expect(response.headers[.eTag] == SiteFixture.etag(home.body))
            #expect(response.headers[.cacheControl] == "no-cache")
            #expect(response.headers[.vary] == "Accept-Encoding")
            #expect(response.headers[.acceptRanges] == "bytes")
            #expect(Array(buffer: response.body) == home.body)
        }
    }

    @Test func hashedAssetsAreImmutable() async throws {
        try await TestServer().test { client in
            let response = try await client.execute(uri: "/assets/site.3f2a1c9e.css", method: .get)
            #expect(response.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(response.headers[.contentType] == "text/css; charset=utf-8")
        }
    }

    @Test func headSendsHeadersOnly() async throws {
        let home = home
        try await TestServer().test(.live) { client in
            let response = try await client.execute(uri: "/", method: .head)
            #expect(response.status == .ok)
            #expect(response.headers[.contentLength] == String(home.body.count))
            #expect(response.body.readableBytes == 0)
        }
    }

    @Test(arguments: [HTTPRequest.Method.post, .put, .delete, .patch, .options])
    func otherMethodsGet405WithAllow(method: HTTPRequest.Method) async throws {
        try await TestServer().test { client in
            let response = try await client.execute(uri: "/", method: method)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "GET, HEAD")
        }
    }

    @Test func trailingSlashRedirectKeepsTheQuery() async throws {
        try await TestServer().test { client in
            let response = try await client.execute(uri: "/docs/overview?x=1", method: .get)
            #expect(response.status == .movedPermanently)
            #expect(response.headers[.location] == "/docs/overview/?x=1")
            let missing = try await client.execute(uri: "/docs/nothing", method: .get)
            #expect(missing.status == .notFound)
        }
    }

    @Test func unknownPathGets404WithThe404Page() async throws {
        try await TestServer().test { client in
            let response = try await client.execute(uri: "/nope/", method: .get)
            #expect(response.status == .notFound)
            #expect(response.text.contains("Not here"))
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.eTag] == nil)
        }
    }

    // MARK: Conditional requests

    @Test(arguments: [
        ("\"HASH\"", true), ("W/\"HASH\"", true), ("\"other\", \"HASH\"", true), ("\"other\",W/\"HASH\"", true),
        ("*", true), ("\"other\"", false), ("\"hash\"", false), ("HASH", false), ("", false),
    ])
    func ifNoneMatch(header: String, notModified: Bool) async throws {
        let etag = String(SiteFixture.etag(home.body).dropFirst().dropLast())
        try await TestServer().test { client in
            let response = try await client.execute(
                uri: "/", method: .get, headers: [.ifNoneMatch: header.replacingOccurrences(of: "HASH", with: etag)])
            #expect(response.status == (notModified ? .notModified : .ok))
            if notModified {
                #expect(response.body.readableBytes == 0)
                #expect(response.headers[.eTag] == "\"\(etag)\"")
                #expect(response.headers[.cacheControl] == "no-cache")
            }
        }
    }

    @Test func gzipVariantHasItsOwnETag() async throws {
        let home = home
        try await TestServer().test { client in
            let gz = SiteFixture.gzipStandIn(home.body)
            let response = try await client.execute(uri: "/", method: .get, headers: [.acceptEncoding: "gzip, br"])
            #expect(response.headers[.contentEncoding] == "gzip")
            #expect(response.headers[.eTag] == SiteFixture.etag(gz))
            #expect(response.headers[.vary] == "Accept-Encoding")
            #expect(Array(buffer: response.body) == gz)
            let again = try await client.execute(uri: "/", method: .get, headers: [
                .acceptEncoding: "gzip", .ifNoneMatch: SiteFixture.etag(gz),
            ])
            #expect(again.status == .notModified)
        }
    }

    // MARK: Accept-Encoding

    @Test(arguments: [
        ("gzip", true), ("GZIP", true), ("x-gzip", true), ("deflate, gzip;q=0.5", true), ("gzip;q=1.0", true),
        ("gzip;q=0", false), ("gzip; q=0.000", false), ("gzip;q=0.001", true), ("*", true), ("*;q=0", false),
        ("*, gzip;q=0", false), ("br", false), ("identity", false), ("", false), ("br;q=1, *;q=0.1", true),
    ])
    func acceptEncoding(header: String, gzip: Bool) async throws {
        try await TestServer().test { client in
            let response = try await client.execute(uri: "/", method: .get, headers: [.acceptEncoding: header])
            #expect(response.status == .ok)
            #expect((response.headers[.contentEncoding] == "gzip") == gzip)
        }
    }

    @Test func neverGzipForARange() async throws {
        try await TestServer().test { client in
            let response = try await client.execute(uri: "/", method: .get, headers: [.acceptEncoding: "gzip", .range: "bytes=0-9"])
            #expect(response.status == .partialContent)
            #expect(response.headers[.contentEncoding] == nil)
            #expect(response.text == "<h1>Home v")
        }
    }

    // MARK: Ranges

    @Test(arguments: [
        ("bytes=0-99", 0...99), ("bytes=100-", 100...9999), ("bytes=-500", 9500...9999),
        ("bytes=9990-20000", 9990...9999), ("bytes=-20000", 0...9999), ("bytes=0-0", 0...0),
        ("bytes=9999-9999", 9999...9999), ("BYTES=1-2", 1...2), (" bytes=5-6 ", 5...6),
    ])
    func satisfiableRange(header: String, range: ClosedRange<Int>) async throws {
        let blob = blob
        try await TestServer().test { client in
            let response = try await client.execute(uri: "/assets/blob.bin", method: .get, headers: [.range: header])
            #expect(response.status == .partialContent)
            #expect(response.headers[.contentRange] == "bytes \(range.lowerBound)-\(range.upperBound)/10000")
            #expect(response.headers[.contentLength] == String(range.count))
            #expect(Array(buffer: response.body) == Array(blob.body[range]))
        }
    }

    @Test(arguments: ["bytes=10000-", "bytes=10000-10005", "bytes=-0", "bytes=99999999999999999999999-"])
    func unsatisfiableRange(header: String) async throws {
        try await TestServer().test { client in
            let response = try await client.execute(uri: "/assets/blob.bin", method: .get, headers: [.range: header])
            #expect(response.status == .rangeNotSatisfiable)
            #expect(response.headers[.contentRange] == "bytes */10000")
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
        }
    }

    @Test(arguments: [
        "bytes=0-1,5-6", "bytes=5-1", "items=0-1", "bytes=abc", "bytes=", "bytes=1-2-3", "bytes=--1", "bytes=-",
    ])
    func multiOrInvalidRangeGetsTheWholeFile(header: String) async throws {
        try await TestServer().test { client in
            let response = try await client.execute(uri: "/assets/blob.bin", method: .get, headers: [.range: header])
            #expect(response.status == .ok)
            #expect(response.body.readableBytes == 10000)
        }
    }

    @Test func emptyFileRangeIsUnsatisfiable() async throws {
        try await TestServer().test { client in
            let response = try await client.execute(uri: "/empty.txt", method: .get, headers: [.range: "bytes=0-"])
            #expect(response.status == .rangeNotSatisfiable)
            #expect(response.headers[.contentRange] == "bytes */0")
        }
    }

    @Test func ifRange() async throws {
        let etag = SiteFixture.etag(blob.body)
        try await TestServer().test { client in
            let hit = try await client.execute(uri: "/assets/blob.bin", method: .get, headers: [.range: "bytes=0-9", .ifRange: etag])
            #expect(hit.status == .partialContent)
            for stale in ["\"old\"", "W/\(etag)", "Tue, 01 Jan 2030 00:00:00 GMT"] {
                let miss = try await client.execute(uri: "/assets/blob.bin", method: .get, headers: [.range: "bytes=0-9", .ifRange: stale])
                #expect(miss.status == .ok)
                #expect(miss.body.readableBytes == 10000)
            }
        }
    }

    @Test func headIgnoresRange() async throws {
        try await TestServer().test { client in
            let response = try await client.execute(uri: "/assets/blob.bin", method: .head, headers: [.range: "bytes=0-9"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentLength] == "10000")
        }
    }

    @Test func filesOverTheMemoryBudgetStreamFromDisk() async throws {
        let blob = blob
        let server = try TestServer { $0.cacheBytes = 2000 }
        try await server.test(.live) { client in
            let whole = try await client.execute(uri: "/assets/blob.bin", method: .get)
            #expect(Array(buffer: whole.body) == blob.body)
            let part = try await client.execute(uri: "/assets/blob.bin", method: .get, headers: [.range: "bytes=-10"])
            #expect(part.status == .partialContent)
            #expect(Array(buffer: part.body) == Array(blob.body[9990...]))
        }
    }

    /// A 304 repeats only what RFC 9110 §15.4.5 asks for (ETag, Cache-Control, Vary): the
    /// security headers belong to the representation the client already holds. The ETag
    /// is 128 bits of the hash, 32 hex digits.
    @Test func aNotModifiedCarriesOnlyItsValidators() async throws {
        try await TestServer().test { client in
            for (uri, extra) in [("/", HTTPFields()), ("/", [.acceptEncoding: "gzip"]), ("/assets/site.3f2a1c9e.css", HTTPFields())] {
                for method: HTTPRequest.Method in [.get, .head] {
                    let first = try await client.execute(uri: uri, method: .get, headers: extra)
                    let tag = try #require(first.headers[.eTag])
                    #expect(tag.range(of: #"^"[0-9a-f]{32}"$"#, options: .regularExpression) != nil, "\(tag)")
                    var conditional = extra
                    conditional[.ifNoneMatch] = tag
                    let again = try await client.execute(uri: uri, method: method, headers: conditional)
                    #expect(again.status == .notModified)
                    #expect(again.headers[.eTag] == tag && again.headers[.cacheControl] == first.headers[.cacheControl])
                    #expect(again.headers[.vary] == first.headers[.vary])
                    for name in ["Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Content-Type"] {
                        #expect(again.headers[HTTPField.Name(name)!] == nil, "\(method) \(uri) 304 has \(name)")
                    }
                }
            }
        }
    }

    /// A folder's page has one address: `/index.html` and `/docs/overview/index.html` are
    /// 301s to the folder, the query kept, as Caddy does; a file that is not a folder's
    /// page stays a 404.
    @Test func anIndexHTMLAddressGoesToItsFolder() async throws {
        try await TestServer().test { client in
            for (uri, location) in [("/index.html", "/"), ("/docs/overview/index.html", "/docs/overview/"),
                                    ("/docs/overview/index.html?lang=de", "/docs/overview/?lang=de"),
                                    ("/docs/overview/index%2Ehtml", "/docs/overview/")] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .movedPermanently, "\(uri)")
                #expect(response.headers[.location] == location, "\(uri)")
            }
            #expect(try await client.execute(uri: "/docs/index.html", method: .get).status == .notFound)
        }
    }
}

@testable import ConnectServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Known traversal and smuggling paths: each is a 400 or a 404, never a file. (A folder's
/// `index.html` address is a 301 to the folder: `StaticFileTests.anIndexHTMLAddressGoesToItsFolder`.)
struct TraversalTests {
    static let corpus: [String] = [
        "/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/%2e%2e%2fsecret.txt",
        "/..%5csecret.txt", "/..\\secret.txt", "/%252e%252e/secret.txt", "/%252e%252e%252fsecret.txt",
        "/%c0%ae%c0%ae/secret.txt", "/%c0%ae%c0%ae%c0%afsecret.txt", "/%e0%80%ae%e0%80%ae/secret.txt",
        "/%c1%9c..%c1%9csecret.txt", "/..%c0%afsecret.txt", "/docs/../../secret.txt", "/docs/overview/../../../secret.txt",
        "/./index.html", "/docs/./overview/", "/docs/overview/.", "/docs/overview/..", "/index.html%00",
        "/%00.html", "/index.html%00.css", "/404.html%00.js", "/index.html;jsessionid=abc", "/docs/overview/;x=1",
        "/docs/overview;/", "/.manifest.json", "/%2emanifest.json", "/.env", "/%2eenv", "/docs/.env",
        "/link.txt", "/secret.txt", "//secret.txt", "/%2fsecret.txt", "/%5c..%5csecret.txt", "/docs%2foverview/",
        "/docs%2Foverview/", "/index.html/", "/index.html/.", "/..;/secret.txt", "/.%2e/secret.txt", "/%2e./secret.txt",
        "/....//secret.txt", "/...", "/%", "/%zz", "/%2", "/a%0d%0aSet-Cookie:x=1",
        "/%7f", "/assets/site.3f2a1c9e.css.gz", "/index.html.gz", "/index.html%00/", "/%ef%bc%8e%ef%bc%8e/secret.txt",
        "/%u002e%u002e/secret.txt", "/\\..\\secret.txt", "/.git/config", "/%2e%2e%5c%2e%2e%5csecret.txt", "/~root",
    ]

    @Test func corpusIsLargeEnough() { #expect(Self.corpus.count >= 40) }

    /// In process: the corpus has bytes no real client would put on the wire.
    @Test func nothingOutsideTheManifestIsServed() async throws {
        try await TestServer().test(.router) { client in
            for path in Self.corpus {
                let response = try await client.execute(uri: path, method: .get)
                #expect([.badRequest, .notFound].contains(response.status), "\(path) → \(response.status)")
                #expect(!response.text.contains(SiteFixture.secret), "\(path) leaked")
                #expect(!response.text.contains("\"entries\""), "\(path) leaked the manifest")
                #expect(response.headers[.contentSecurityPolicy] != nil)
            }
        }
    }

    /// The same corpus through a real socket and HTTP parser, for the paths a client can send.
    @Test func overLiveSockets() async throws {
        let sendable = Self.corpus.filter { path in path.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") } }
        try await TestServer().test(.live) { client in
            for path in sendable {
                let response = try await client.execute(uri: path, method: .get)
                #expect([.badRequest, .notFound].contains(response.status), "\(path) → \(response.status)")
                #expect(!response.text.contains(SiteFixture.secret), "\(path) leaked")
            }
        }
    }

    @Test(arguments: [
        ("/a%20b/", RequestPath.Verdict.path("/a b/")), ("/docs/overview/", .path("/docs/overview/")),
        ("/%41", .path("/A")), ("/%252e", .path("/%2e")), ("/a%2fb", .badRequest), ("/a%00", .badRequest),
        ("/..", .badRequest), ("/.x", .notFound), ("/x/..y", .notFound), ("/x/y..", .path("/x/y..")), ("relative", .badRequest),
        ("/%c0%ae", .badRequest), ("/caf%c3%a9", .path("/café")),
    ])
    func decodesOnce(raw: String, verdict: RequestPath.Verdict) {
        #expect(RequestPath.decode(raw[...]) == verdict)
    }

    @Test func aManifestEntryThatIsASymlinkStopsTheLoad() throws {
        let fixture = try SiteFixture.make()
        defer { fixture.remove() }
        let file = fixture.publicPath + "/docs/overview/index.html"
        try FileManager.default.removeItem(atPath: file)
        try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: fixture.base.path + "/secret.txt")
        let loader = SiteLoader(directory: fixture.publicPath, cacheBytes: 1 << 20, security: .init(hsts: false))
        #expect(throws: SiteLoadError.self) { try loader.load() }
    }
}

import Foundation

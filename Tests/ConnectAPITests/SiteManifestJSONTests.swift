import ConnectAPI
import Foundation
import Testing

/// The hand-written manifest JSON reads back as the same manifest with JSONDecoder, names
/// with quotes, backslashes, control characters and non-ASCII included.
struct SiteManifestJSONTests {
    @Test(arguments: [nil, "/404.html"])
    func roundTripsThroughJSONDecoder(notFound: String?) throws {
        let manifest = SiteManifest(notFound: notFound, entries: [
            ManifestEntry(path: "/", file: "index.html", mediaType: "text/html; charset=utf-8", size: 1606,
                          sha256: String(repeating: "a", count: 64),
                          gzip: GzipVariant(file: "index.html.gz", size: 565, sha256: String(repeating: "b", count: 64)),
                          immutable: false, scriptHashes: ["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="], styleHashes: []),
            ManifestEntry(path: "/docs/\"quoted\" \\ back\tslash\u{1}/", file: "docs/café/日本/index.html",
                          mediaType: "text/html", size: 0, sha256: String(repeating: "c", count: 64), gzip: nil, immutable: true),
        ])
        let decoded = try JSONDecoder().decode(SiteManifest.self, from: manifest.encodedJSON())
        #expect(decoded == manifest)
        #expect(try SiteManifest.decode(manifest.encodedJSON()) == manifest)
    }

    /// The direct parse and JSONDecoder agree on JSONEncoder's own output too (pretty,
    /// another key order), and on what neither should accept.
    @Test func readsWhatJSONEncoderWritesAndRefusesWhatItRefuses() throws {
        let manifest = SiteManifest(notFound: "/404.html", entries: [
            ManifestEntry(path: "/a/", file: "a/index.html", mediaType: "text/html", size: 12, sha256: String(repeating: "d", count: 64),
                          gzip: nil, immutable: false),
            ManifestEntry(path: "/connect/", file: "connect/index.html", mediaType: "text/html", size: 9, sha256: String(repeating: "e", count: 64),
                          gzip: nil, immutable: false, scriptHashes: ["a", "b"], styleHashes: ["c"], frameAncestors: ["https://app.example.com"]),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        #expect(try SiteManifest.decode(encoder.encode(manifest)) == manifest)
        for broken in ["", "{", #"{"version":1,"entries":[{"path":"/"}]}"#, #"{"version":1,"notFound":null,"entries":[]} x"#] {
            #expect(throws: (any Error).self, "\(broken)") { try SiteManifest.decode(Data(broken.utf8)) }
        }
    }

    @Test func anEmptyManifestIsValidJSON() throws {
        let manifest = SiteManifest(notFound: nil, entries: [])
        #expect(try JSONDecoder().decode(SiteManifest.self, from: manifest.encodedJSON()) == manifest)
    }
}

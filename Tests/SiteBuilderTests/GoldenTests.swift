import Foundation
import Testing

/// The generated text of the fixture site against committed expectations.
///
/// After a deliberate change, regenerate with `make golden` and review the diff of
/// `Tests/SiteBuilderTests/Golden/` before committing it.
@Suite struct GoldenTests {
    static let cases: [(output: String, golden: String)] = [
        ("docs/guide/index.html", "guide.html"),
        ("api/createThing/index.html", "operation.html"),
        ("api/createThing/index.md", "operation.md"),
        (".manifest.json", "manifest.json"),
        ("llms.txt", "llms.txt"),
        ("sitemap.xml", "sitemap.xml"),
    ]

    @Test func theFixtureSiteMatchesItsGoldenFiles() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try await site.build()
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"
        for (output, golden) in Self.cases {
            let actual = try site.read(output)
            let goldenURL = FixtureSite.goldenFolder.appendingPathComponent(golden)
            if update {
                try FileManager.default.createDirectory(at: FixtureSite.goldenFolder, withIntermediateDirectories: true)
                try actual.write(to: goldenURL, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOf: goldenURL, encoding: .utf8)
            #expect(actual == expected, "\(output) differs from Golden/\(golden); run `make golden` and review the diff")
        }
    }
}

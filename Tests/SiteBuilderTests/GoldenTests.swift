import Foundation
import Testing
@testable import SiteBuilder

/// The generated text of the fixture site against committed expectations.
///
/// After a deliberate change, regenerate with `make golden` and review the diff of
/// `Tests/SiteBuilderTests/Golden/` before committing it.
@Suite struct GoldenTests {
    static let cases: [(output: String, golden: String)] = [
        ("docs/guide/index.html", "guide.html"),
        ("api/createThing/index.html", "operation.html"),
        ("api/createThing/index.md", "operation.md"),
        // Every schema construct: enum, format, default, nullable, bounds, pattern, example,
        // nested objects and arrays, oneOf with a discriminator and anyOf.
        ("api/listWidgets/index.html", "schema.html"),
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

    /// Build-time highlighting of each language, from `Fixtures/highlight/sample.<ext>`.
    @Test(arguments: [("json", "json"), ("sh", "bash"), ("py", "python"), ("js", "javascript"), ("swift", "swift"), ("yaml", "yaml")])
    func highlightedCodeMatchesItsGoldenFile(extension ext: String, language: String) throws {
        let source = FixtureSite.testsFolder.appendingPathComponent("Fixtures/highlight/sample.\(ext)")
        let code = try String(contentsOf: source, encoding: .utf8)
        let html = SyntaxHighlighter.highlight(code, language: language)
        // What a reader copies is exactly the code: the spans add nothing but markup.
        #expect(html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression).htmlUnescaped == code)
        try compare(html, golden: "highlight-\(ext).html")
    }

    /// The four request samples of the fixture's operation.
    @Test func codeSamplesMatchTheirGoldenFile() throws {
        let text = try String(contentsOf: FixtureSite.testsFolder.appendingPathComponent("Fixtures/site/openapi.yaml"), encoding: .utf8)
        let operation = try #require(try APIReferenceLoader.load(yaml: text, shownAs: "openapi.yaml").operations.first)
        let samples = CodeSamples.all(for: operation).map { "=== \($0.label) (\($0.language))\n\($0.code)\n" }.joined(separator: "\n")
        try compare(samples, golden: "samples.txt")
    }

    private func compare(_ actual: String, golden: String) throws {
        let url = FixtureSite.goldenFolder.appendingPathComponent(golden)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(actual == (try String(contentsOf: url, encoding: .utf8)), "differs from Golden/\(golden); run `make golden` and review the diff")
    }
}

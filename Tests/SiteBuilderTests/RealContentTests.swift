import ConnectAPI
import Foundation
import Testing

/// The repository's own `content/` builds, links cleanly, and shows the published examples.
@Suite struct RealContentTests {
    static let operations = ["getAppRequirementsStatus", "createConnectToken", "listConnectRequirements",
                             "getConnectRequirementStatuses", "createConnectRequirementCredentials",
                             "authorizeConnectRequirementOAuth2", "authorizeConnectRequirementActionConnector"]

    @Test func theRealSiteBuildsWithEveryPage() async throws {
        let site = try FixtureSite(contentFolder: FixtureSite.repository.appendingPathComponent("content"))
        defer { site.remove() }
        _ = try await site.build()
        let files = try site.outputFiles()
        for operation in Self.operations {
            #expect(files["api/\(operation)/index.html"] != nil, "no page for \(operation)")
        }
        for path in ["api/index.html", "docs/overview/index.html", "docs/end-user-requirements/index.html",
                     "docs/connect-tokens/index.html", "404.html", "llms.txt", "sitemap.xml", ".manifest.json"] {
            #expect(files[path] != nil, "missing \(path)")
        }
        let sidebar = try site.read("docs/overview/index.html")
        let positions = Self.operations.map { sidebar.range(of: "href=\"/api/\($0)/\"")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil } && positions.map { $0! } == positions.map { $0! }.sorted(),
                "the sidebar lists the operations in the reference's order")
    }

    /// The three operations of the published reference show its descriptions and examples
    /// exactly (the seed is the text of those pages, with the layout's whitespace removed).
    @Test func thePublishedExamplesRenderExactly() async throws {
        let seed = try String(contentsOf: FixtureSite.testsFolder.appendingPathComponent("Fixtures/published-reference.txt"), encoding: .utf8)
        let site = try FixtureSite(contentFolder: FixtureSite.repository.appendingPathComponent("content"))
        defer { site.remove() }
        _ = try await site.build()

        let list = try site.read("api/listConnectRequirements/index.html")
        let examples = Self.codeBlocks(in: list, language: "json")
        #expect(examples.count == 3)
        let seedText = examples.map { $0.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n") }.joined()
        #expect(seed.contains(seedText), "the List requirements examples differ from the published ones")

        for (operation, title) in [("listConnectRequirements", "List requirements"), ("createConnectToken", "Create a connect token"),
                                   ("getConnectRequirementStatuses", "Get requirement statuses")] {
            let html = try site.read("api/\(operation)/index.html")
            #expect(html.contains("<h1>\(title)</h1>"))
            let description = try #require(Self.description(following: title, in: seed))
            #expect(Self.text(of: html).contains(description), "\(operation) does not show the published description")
        }
        #expect(Self.text(of: list).contains(Self.connectTokenScheme(in: seed)))
    }

    static func codeBlocks(in html: String, language: String) -> [String] {
        html.components(separatedBy: "<code class=\"language-\(language)\">").dropFirst().map { part in
            // The highlighter's spans removed: the text a reader sees and copies.
            unescape(String(part[..<part.range(of: "</code>")!.lowerBound]).replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression))
        }
    }

    /// The seed line after a title line is its description.
    static func description(following title: String, in seed: String) -> String? {
        let lines = seed.components(separatedBy: "\n")
        guard let index = lines.lastIndex(where: { $0.hasSuffix(title) }), index + 1 < lines.count else { return nil }
        return lines[index + 1].replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "")
    }

    static func connectTokenScheme(in seed: String) -> String {
        let line = seed.components(separatedBy: "\n").first { $0.hasPrefix("connectToken ") }!
        return String(line.dropFirst("connectToken ".count))
    }

    /// The visible text of some HTML: tags removed, entities decoded, whitespace collapsed.
    static func text(of html: String) -> String {
        let stripped = html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
        return unescape(stripped).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// The hosted connect page: built with its words and catalog, within its weight budget.
@Suite struct ConnectPageBuildTests {
    @Test func theConnectPageIsBuiltWithItsDataAndWeighsUnderItsBudget() async throws {
        let site = try FixtureSite(contentFolder: FixtureSite.repository.appendingPathComponent("content"))
        defer { site.remove() }
        let summary = try await site.build()
        let html = try site.read("connect/index.html")
        #expect(html.range(of: #"data-catalog="/connect/catalog\.[0-9a-f]{8}\.json""#, options: .regularExpression) != nil)
        for code in ["en", "de", "fr", "es", "ja"] {
            #expect(html.range(of: "data-strings-\(code)=\"/connect/strings/\(code)\\.[0-9a-f]{8}\\.json\"", options: .regularExpression) != nil)
        }
        #expect(!html.contains("style=") && !html.contains("<script>") && !html.contains("onclick"))
        let weight = try #require(summary.connectPageBytes)
        #expect(weight > 4 * 1024 && weight <= 14 * 1024)
        #expect(summary.description.contains("connect page"))
        #expect(try !site.read("sitemap.xml").contains("/connect/"))
    }

    @Test func aPageOverItsBudgetFailsTheBuildWithTheFigure() async throws {
        let site = try FixtureSite(contentFolder: FixtureSite.repository.appendingPathComponent("content"))
        defer { site.remove() }
        let config = site.content.appendingPathComponent("site.yaml")
        try (try String(contentsOf: config, encoding: .utf8)).replacingOccurrences(of: "budget_kib: 14", with: "budget_kib: 2")
            .write(to: config, atomically: true, encoding: .utf8)
        let problems = await site.problems()
        #expect(problems.count == 1)
        #expect(problems.first?.range(of: #"^content/site\.yaml: the connect page weighs \d+\.\d KiB gzipped, over its budget of 2 KiB"#, options: .regularExpression) != nil, "\(problems)")
    }

    @Test func aLanguageThatLacksAKeyFailsTheBuild() async throws {
        let site = try FixtureSite(contentFolder: FixtureSite.repository.appendingPathComponent("content"))
        defer { site.remove() }
        let german = site.content.appendingPathComponent("connect/strings/de.yaml")
        let text = try String(contentsOf: german, encoding: .utf8)
        try text.replacingOccurrences(of: "retry: Erneut versuchen\n", with: "retyr: Erneut versuchen\n").write(to: german, atomically: true, encoding: .utf8)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("retry:") }! + 1
        #expect(await site.problems() == [
            "content/connect/strings/de.yaml: lacks the key `retry` that en.yaml has",
            "content/connect/strings/de.yaml:\(line): has the key `retyr`, which en.yaml does not",
        ])
    }
}

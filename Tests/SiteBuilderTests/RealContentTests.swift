import ConnectAPI
import Crypto
import Foundation
import Testing
@testable import SiteBuilder

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

/// The hosted connect page: its first paint in one response, within its first-flight budget,
/// allowed by its CSP hashes; its languages, catalog words and App faces checked at build.
@Suite struct ConnectPageBuildTests {
    private static func block(_ open: String, in html: String) -> String? {
        guard let start = html.range(of: open), let end = html[start.upperBound...].range(of: open.hasPrefix("<style") ? "</style>" : "</script>") else { return nil }
        return String(html[start.upperBound..<end.lowerBound])
    }

    @Test func theFirstPaintIsInlineAllowedByItsHashesAndUnderItsBudget() async throws {
        let site = try FixtureSite(contentFolder: FixtureSite.repository.appendingPathComponent("content"))
        defer { site.remove() }
        let summary = try await site.build()
        let html = try site.read("connect/index.html")
        let scripts = html.components(separatedBy: "<script>").dropFirst().map { String($0.components(separatedBy: "</script>")[0]) }
        let style = try #require(Self.block("<style>", in: html))
        #expect(scripts.count == 2, "the head's early call and the main script")
        let script = scripts.joined(separator: "\n")
        #expect(scripts[0].contains("connectFirstCall") && scripts[1].contains("hashchange") && style.contains("--brand"))
        #expect(!script.contains("\n//") && !style.contains("/*"), "comments are left out")
        // No external script or stylesheet: the first paint needs only this response.
        #expect(html.range(of: #"<script src="/assets/connect|<link rel="stylesheet""#, options: .regularExpression) == nil)
        #expect(!html.contains("style=") && !html.contains("onclick"))

        let json = try #require(Self.block(#"<script type="application/json" id="connect-data">"#, in: html))
        #expect(!json.contains("<"), "the data block cannot close its element")
        let data = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((data["catalog"] as? String)?.range(of: #"^/connect/catalog\.[0-9a-f]{8}\.json$"#, options: .regularExpression) != nil)
        let languages = try #require(data["languages"] as? [String: String])
        #expect(languages.keys.sorted() == ["de", "en", "es", "fr", "ja"])
        for (code, url) in languages { #expect(url.range(of: "^/connect/strings/\(code)\\.[0-9a-f]{8}\\.json$", options: .regularExpression) != nil) }
        let providers = try #require(data["providers"] as? [String: [String: String]])
        #expect(providers["gmail"]?["name"] == "Gmail")
        #expect(providers["google"]?["logo"]?.range(of: #"^/images/providers/google\.[0-9a-f]{8}\.svg$"#, options: .regularExpression) != nil)
        let face = try #require((data["apps"] as? [String: [String: Any]])?["0c9a7e51-3d2b-4f6a-8e1d-2a4b6c8d0e1f"])
        #expect(face["name"] as? String == "Support Triage" && face["accent"] as? String == "#0f766e")
        #expect((face["logo"] as? String)?.hasPrefix("/images/apps/support-triage.") == true)
        #expect(face["origins"] as? [String] == ["http://127.0.0.1:8081", "http://localhost:8081"])
        #expect((data["forms"] as? String)?.range(of: #"^/assets/connect-forms\.[0-9a-f]{8}\.js$"#, options: .regularExpression) != nil)
        #expect((data["words"] as? [String: String])?["expired_title"] == "This link has expired")

        // The manifest lists the digests the server's CSP allows.
        let manifest = try SiteManifest.decode(Data(try site.read(".manifest.json").utf8))
        let entry = try #require(manifest.entries.first { $0.path == "/connect/" })
        #expect(entry.scriptHashes == scripts.map { Data(SHA256.hash(data: Data($0.utf8))).base64EncodedString() })
        #expect(entry.styleHashes == [Data(SHA256.hash(data: Data(style.utf8))).base64EncodedString()])
        #expect(manifest.entries.filter { $0.scriptHashes != nil }.map(\.path) == ["/connect/"])
        // The Apps' origins may embed the page, and nothing else may.
        #expect(entry.frameAncestors == ["http://127.0.0.1:8081", "http://localhost:8081"])
        #expect(manifest.entries.filter { $0.frameAncestors != nil }.map(\.path) == ["/connect/"])
        // The embed script at its stable address, the same bytes as its hashed twin.
        let embed = try #require(manifest.entries.first { $0.path == "/connect-embed.js" })
        let hashed = try #require(manifest.entries.first { $0.path.hasPrefix("/assets/connect-embed.") })
        #expect(embed.sha256 == hashed.sha256 && !embed.immutable && hashed.immutable)
        #expect(Gzip.compress(Data(try site.read("connect-embed.js").utf8)).count <= 2048, "connect-embed.js is over its 2 KiB budget")

        // A German reader's file: the page's words and the catalog's labels.
        let german = try #require(manifest.entries.first { $0.path == languages["de"] })
        let file = try #require(try JSONSerialization.jsonObject(with: Data(try site.read(german.file).utf8)) as? [String: Any])
        let labels = (file["catalog"] as? [String: Any])?["dynamiq.connections.HttpApiKey"] as? [String: Any]
        #expect(((labels?["fields"] as? [String: Any])?["api_key"] as? [String: String])?["label"] == "API-Schlüssel")

        let weight = try #require(summary.connectPageBytes)
        #expect(weight > 4 * 1024 && weight <= 14 * 1024, "first flight \(weight) B")
        #expect(summary.description.contains("connect page first flight"))
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
        #expect(problems.first?.range(of: #"^content/site\.yaml: the connect page's first flight weighs \d+\.\d KiB \(\d+ B of gzipped HTML"#, options: .regularExpression) != nil, "\(problems)")
    }

    @Test func aLanguageThatLacksAKeyFailsTheBuild() async throws {
        let site = try FixtureSite(contentFolder: FixtureSite.repository.appendingPathComponent("content"))
        defer { site.remove() }
        let german = site.content.appendingPathComponent("connect/strings/de.yaml")
        let text = try String(contentsOf: german, encoding: .utf8)
        try text.replacingOccurrences(of: "\nretry:", with: "\nretyr:").write(to: german, atomically: true, encoding: .utf8)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("retry:") }! + 1
        #expect(await site.problems() == [
            "content/connect/strings/de.yaml: lacks the key `retry` that en.yaml has",
            "content/connect/strings/de.yaml:\(line): has the key `retyr`, which en.yaml does not",
        ])
    }

    /// The forms speak every language of the page: a label or type missing in one fails
    /// the build, and so does a field the catalog does not have.
    @Test func theCatalogsWordsAreCompleteInEveryLanguage() async throws {
        let site = try FixtureSite(contentFolder: FixtureSite.repository.appendingPathComponent("content"))
        defer { site.remove() }
        let french = site.content.appendingPathComponent("connect/catalog/fr.yaml")
        var text = try String(contentsOf: french, encoding: .utf8)
        let start = try #require(text.range(of: "dynamiq.connections.Anthropic:"))
        let end = try #require(text.range(of: "dynamiq.connections.Gemini:"))
        text.removeSubrange(start.lowerBound..<end.lowerBound)
        text = text.replacingOccurrences(of: "    api_version:", with: "    api_versoin:")
        try text.write(to: french, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: site.content.appendingPathComponent("connect/catalog/ja.yaml"))
        #expect(await site.problems() == [
            "content/connect/catalog/fr.yaml: lacks `dynamiq.connections.Anthropic`, which connection-types.yaml has",
            "content/connect/catalog/fr.yaml: lacks `dynamiq.connections.AzureAI.fields.api_version`, which connection-types.yaml has",
            "content/connect/catalog/fr.yaml: has `dynamiq.connections.AzureAI.fields.api_versoin`, which connection-types.yaml does not",
            "content/connect/catalog/ja.yaml: is missing: the page speaks this language, so the credential forms need its words",
        ])
    }

    /// `build-site --serve --port 9000` puts its sandbox on 9001: the sandbox Apps with
    /// return origins also allow that one, so the demo App works on any port; Apps of
    /// site.yaml and Apps without origins get nothing.
    @Test func theServedSandboxsOriginIsAllowedForTheSandboxApps() async throws {
        let site = try FixtureSite(contentFolder: FixtureSite.repository.appendingPathComponent("content"))
        defer { site.remove() }
        _ = try await site.build(sandboxOrigins: ["http://127.0.0.1:9001", "http://localhost:9001"])
        let manifest = try SiteManifest.decode(Data(try site.read(".manifest.json").utf8))
        let entry = try #require(manifest.entries.first { $0.path == "/connect/" })
        #expect(entry.frameAncestors == ["http://127.0.0.1:8081", "http://127.0.0.1:9001", "http://localhost:8081", "http://localhost:9001"])
    }

    /// An App's accent must keep the text on it readable, and its logo must exist.
    @Test func anAppFaceWithAnUnreadableAccentOrAMissingLogoFailsTheBuild() async throws {
        let site = try FixtureSite(contentFolder: FixtureSite.repository.appendingPathComponent("content"))
        defer { site.remove() }
        let sandbox = site.content.appendingPathComponent("sandbox.yaml")
        try (try String(contentsOf: sandbox, encoding: .utf8)).replacingOccurrences(of: "accent: \"#0f766e\"", with: "accent: \"#5eead4\"")
            .replacingOccurrences(of: "logo: images/apps/support-triage.svg", with: "logo: images/apps/nope.svg")
            .write(to: sandbox, atomically: true, encoding: .utf8)
        let problems = await site.problems()
        #expect(problems == [
            "content/sandbox.yaml: App Support Triage: `accent` #5eead4 has a contrast of 1.5:1 with its white text; 4.5:1 is needed (choose a darker colour)",
            "content/sandbox.yaml: App Support Triage: `logo` images/apps/nope.svg does not exist under content/",
        ])
    }
}

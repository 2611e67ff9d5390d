import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import SiteBuilder
import Testing

/// `content/changelog.md`: a page of dated entries and their Atom feed; and "Edit this page".
@Suite struct ChangelogTests {
    static let changelog = """
        ---
        title: Changelog
        ---

        Intro, not an entry.

        ## 2026-12-02: Newer things

        - See [the guide](docs/guide.md#a-sub-step) & more.

        ```markdown
        ## 1999-01-01: not a heading, inside a fence
        ```

        ## 2026-11-30 — First release

        Hello.

        """

    @Test func theEntriesBecomeAnAtomFeedWithAbsoluteLinks() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write(Self.changelog, to: "changelog.md")
        _ = try await site.build()
        let feed = try site.read("changelog.atom")
        let document = try XMLDocument(data: Data(feed.utf8))
        let entries = try document.nodes(forXPath: "/*[local-name()='feed']/*[local-name()='entry']")
        #expect(entries.count == 2)
        let titles = try document.nodes(forXPath: "//*[local-name()='entry']/*[local-name()='title']").map { $0.stringValue }
        #expect(titles == ["Newer things", "First release"])
        let updated = try document.nodes(forXPath: "//*[local-name()='entry']/*[local-name()='updated']").map { $0.stringValue }
        #expect(updated == ["2026-12-02T00:00:00Z", "2026-11-30T00:00:00Z"])
        let ids = try document.nodes(forXPath: "//*[local-name()='entry']/*[local-name()='id']").map { $0.stringValue ?? "" }
        #expect(ids.first == "https://docs.example.test/changelog/#2026-12-02-newer-things")
        let content = try document.nodes(forXPath: "//*[local-name()='entry']/*[local-name()='content']").first?.stringValue ?? ""
        #expect(content.contains(#"href="https://docs.example.test/docs/guide/#a-sub-step""#))
        #expect(content.contains("&amp; more"))
        // The page's anchors are the feed's: the entry links land on their heading.
        let page = try site.read("changelog/index.html")
        #expect(page.contains(#"id="2026-12-02-newer-things""#))
        #expect(page.contains(#"type="application/atom+xml""#))
        let manifest = try site.read(".manifest.json")
        #expect(manifest.contains(#""path":"/changelog.atom","file":"changelog.atom","mediaType":"application/atom+xml; charset=utf-8""#))
    }

    @Test func aBadDateOrOrderIsReportedAtItsLine() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("---\ntitle: Changelog\n---\n\n## 2026-11-30: Old\n\n## 2026-12-01: Newer below\n\n## 2026-02-30: No such day\n",
                       to: "changelog.md")
        let problems = await site.problems()
        #expect(problems.contains("content/changelog.md:7: entries go newest first: 2026-12-01 comes after 2026-11-30"))
        #expect(problems.contains { $0.hasPrefix("content/changelog.md:9: a changelog entry's heading is `## YYYY-MM-DD: What changed`") })
    }

    @Test func editThisPageLinksEachPagesSourceFile() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let config = try String(contentsOf: site.content.appendingPathComponent("site.yaml"), encoding: .utf8)
        try site.write(config + "edit_url: https://git.example.test/edit/main/content/{path}\n", to: "site.yaml")
        _ = try await site.build()
        #expect(try site.read("docs/guide/index.html").contains(#"href="https://git.example.test/edit/main/content/docs/guide.md">Edit this page"#))
        #expect(try site.read("api/createThing/index.html").contains(#"href="https://git.example.test/edit/main/content/openapi.yaml">Edit this page"#))
        try site.write(config + "edit_url: http://git.example.test/edit\n", to: "site.yaml")
        #expect(await site.problems().contains { $0.contains("`edit_url` must be an https URL with {path}") })
    }
}

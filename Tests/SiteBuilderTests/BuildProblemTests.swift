import Foundation
import Testing

/// A build with a mistake fails, names the file and line, and says what is wrong.
@Suite struct BuildProblemTests {
    @Test func aBrokenLinkIsReportedAtItsLine() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("---\ntitle: Links\n---\n\nFine [guide](guide.md).\n\nBroken [page](missing.md) here.\n", to: "docs/links.md")
        let problems = await site.problems()
        #expect(problems == ["content/docs/links.md:7: missing.md -> no such page or file"])
    }

    @Test func aBrokenAnchorIsReportedWithTheTargetPage() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("---\ntitle: Anchors\n---\n\n[ok](guide.md#a-sub-step)\n[bad](guide.md#nowhere)\n", to: "docs/anchors.md")
        let problems = await site.problems()
        #expect(problems == [#"content/docs/anchors.md:6: guide.md#nowhere -> no heading or element with id "nowhere" on /docs/guide/"#])
    }

    @Test func aSitePathWithoutItsPageIsBroken() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("---\ntitle: API links\n---\n\n[gone](/api/deleteThing/)\n", to: "docs/api-links.md")
        #expect(await site.problems() == ["content/docs/api-links.md:5: /api/deleteThing/ -> no such page or file"])
    }

    @Test func aTemplateLinkIsReportedAgainstItsLayout() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let layout = site.templates.appendingPathComponent("layouts/not-found.mustache")
        let text = try String(contentsOf: layout, encoding: .utf8)
        try text.replacingOccurrences(of: #"<a href="/">"#, with: #"<a href="/nope/">"#).write(to: layout, atomically: true, encoding: .utf8)
        let problems = await site.problems()
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(#"<a href="/">"#) }! + 1
        #expect(problems == ["templates/layouts/not-found.mustache:\(line): /nope/ (on /404.html) -> no such page or file"])
    }

    @Test(arguments: [
        ("no front matter\n", "content/docs/bad.md:1: missing front matter"),
        ("---\ntitle: x\n", "content/docs/bad.md:1: front matter is not closed"),
        ("---\ndescription: no title\n---\n", "content/docs/bad.md:2: front matter needs a `title:`"),
        ("---\ntitle: x\norder: first\n---\n", "content/docs/bad.md:3: `order` must be a whole number"),
        ("---\ntitle: x\ntitel: typo\n---\n", "content/docs/bad.md:3: unknown front matter key `titel`"),
        ("---\ntitle: x\n  bad: [indent\n---\n", "content/docs/bad.md:3: front matter is not valid YAML"),
    ])
    func badFrontMatterIsReportedAtItsLine(text: String, expected: String) async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write(text, to: "docs/bad.md")
        let problems = await site.problems()
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix(expected) == true, "got \(problems)")
    }

    @Test func aMissingPartialIsReportedWhereItIsNamed() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try "{{> head}}\n<main id=\"main\">\n{{> nowhere}}\n</main>\n{{> foot}}\n"
            .write(to: site.templates.appendingPathComponent("layouts/guide.mustache"), atomically: true, encoding: .utf8)
        let problems = await site.problems()
        #expect(problems == ["templates/layouts/guide.mustache:3: partial `nowhere` not found: add templates/partials/nowhere.mustache"])
    }

    @Test func aMustacheSyntaxErrorIsReportedAtItsLine() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try "<p>\n{{#items}}\n<li>{{name}}</li>\n{{/other}}\n"
            .write(to: site.templates.appendingPathComponent("partials/broken.mustache"), atomically: true, encoding: .utf8)
        let problems = await site.problems()
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("templates/partials/broken.mustache:4: Mustache error") == true, "got \(problems)")
    }

    @Test func aMissingLayoutIsReportedAtThePage() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("---\ntitle: x\nlayout: fancy\n---\n", to: "docs/fancy.md")
        #expect(await site.problems() == ["content/docs/fancy.md:2: layout `fancy` not found: add templates/layouts/fancy.mustache or change `layout:`"])
    }

    @Test func aBadDataFileNamesTheKey() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try "types:\n  - type: x\n    name: X\n    fields:\n      - name: a\n        label: A\n        type: colour\n"
            .write(to: site.content.appendingPathComponent("connection-types.yaml"), atomically: true, encoding: .utf8)
        let problems = await site.problems()
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("content/connection-types.yaml:7: `types.0.fields.0.type`") == true, "got \(problems)")
    }

    @Test func aBaseURLThatIsNotAnAddressIsRefused() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        do {
            _ = try await site.build(baseURL: "docs.example.com")
            Issue.record("the build accepted a base URL without a scheme")
        } catch {
            #expect("\(error)" == #"--base-url: "docs.example.com" is not an absolute http(s) address such as https://docs.example.com"#)
        }
        #expect(!FileManager.default.fileExists(atPath: site.output.path))
    }
}

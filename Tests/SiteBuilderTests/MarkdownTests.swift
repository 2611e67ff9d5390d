import Testing
@testable import SiteBuilder

@Suite struct MarkdownTests {
    let renderer = MarkdownRenderer()

    @Test func headingsGetStableUniqueIdsAndAnchors() {
        let result = renderer.render("## Statuses: pending and `completed`\n\n### Again\n\n## Statuses: pending and `completed`\n", allowRawHTML: false)
        #expect(result.headings.map(\.id) == ["statuses-pending-and-completed", "again", "statuses-pending-and-completed-1"])
        #expect(result.html.contains(##"<h2 id="statuses-pending-and-completed">Statuses: pending and <code>completed</code> <a class="anchor" href="#statuses-pending-and-completed" aria-label="Link to this section">#</a></h2>"##))
        #expect(!result.html.contains("\u{1}"))
    }

    @Test func rawHTMLIsDroppedUnlessAllowed() {
        let text = "<script>alert(1)</script>\n\n<b>bold</b> and [x](javascript:alert(1))\n"
        let safe = renderer.render(text, allowRawHTML: false).html
        #expect(!safe.contains("<script>") && !safe.contains("<b>") && !safe.contains("javascript:"))
        #expect(safe.contains("raw HTML omitted"))
        let unsafe = renderer.render(text, allowRawHTML: true).html
        #expect(unsafe.contains("<b>bold</b>"))
    }

    @Test func headingTextCannotInjectMarkup() {
        let result = renderer.render("## Say \"hi\" & <wave>\n", allowRawHTML: false)
        // `<wave>` is raw HTML, which safe mode drops, so it is not part of the id.
        #expect(result.headings.first?.id == "say-hi-")
        #expect(result.html.contains("Say &quot;hi&quot; &amp;"))
    }

    @Test func codeBlocksKeepTheirLanguage() {
        let html = renderer.render("```json\n{\"a\": 1}\n```\n", allowRawHTML: false).html
        #expect(html == "<pre class=\"code\" tabindex=\"0\"><code class=\"language-json\">{<span class=\"tok-a\">&quot;a&quot;</span>: <span class=\"tok-n\">1</span>}\n</code></pre>\n")
        let unknown = renderer.render("```brainfuck\n<+>\n```\n", allowRawHTML: false).html
        #expect(unknown == "<pre class=\"code\" tabindex=\"0\"><code class=\"language-brainfuck\">&lt;+&gt;\n</code></pre>\n")
    }

    @Test(arguments: [
        ("overview.md", "docs/guide.md", "/docs/overview/"),
        ("overview.md#flow", "docs/guide.md", "/docs/overview/#flow"),
        ("../index.md", "docs/guide.md", "/"),
        ("../api/x.md", "docs/guide.md", "/api/x/"),
        ("/docs/overview.md", "index.md", "/docs/overview/"),
        ("docs/overview.md", "index.md", "/docs/overview/"),
        ("/api/createConnectToken", "index.md", "/api/createConnectToken/"),
        ("../images/a.png", "docs/guide.md", "/images/a.png"),
    ])
    func linksBetweenPagesAreRewritten(written: String, from page: String, expected: String) {
        let rewriter = LinkRewriter(pageURLs: ["/api/createConnectToken/"])
        #expect((rewriter.rewrite(written, from: page) ?? written) == expected)
    }

    @Test func externalLinksAndAnchorsAreKept() {
        let rewriter = LinkRewriter(pageURLs: [])
        for link in ["https://example.com/a.md", "mailto:a@b.c", "//cdn.example/x", "#top"] {
            #expect(rewriter.rewrite(link, from: "docs/guide.md") == nil)
        }
    }

    @Test func linesOfLinksAreKnown() {
        let result = renderer.render("one\n\ntwo [a](a.md)\n\nthree\n[b](b.md)\n", allowRawHTML: false)
        #expect(result.links.map(\.line) == [3, 6])
    }
}

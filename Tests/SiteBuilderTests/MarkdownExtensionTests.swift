import Foundation
import Testing
@testable import SiteBuilder

/// GFM pipe tables, callouts and tabs of fenced blocks, on plain libcmark.
@Suite struct PipeTableTests {
    let renderer = MarkdownRenderer()

    /// The table's HTML without the scrolling region around it, as GFM's spec writes it
    /// (with `class="align-x"` where the spec has `align="x"`).
    func table(_ markdown: String) -> String {
        renderer.render(markdown, allowRawHTML: false).html
            .replacingOccurrences(of: #"<div class="table-wrap" tabindex="0" role="region" aria-label="[^"]*">\n"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: "</table>\n</div>", with: "</table>")
    }

    // GFM spec 0.29, examples 198 to 205.

    @Test func aHeaderADelimiterAndRows() {
        #expect(table("| foo | bar |\n| --- | --- |\n| baz | bim |\n") == """
            <table>
            <thead>
            <tr>
            <th>foo</th>
            <th>bar</th>
            </tr>
            </thead>
            <tbody>
            <tr>
            <td>baz</td>
            <td>bim</td>
            </tr>
            </tbody>
            </table>

            """)
    }

    @Test func alignmentComesFromTheDelimiterRowAndOuterPipesAreOptional() {
        #expect(table("| abc | defghi |\n:-: | -----------:\nbar | baz\n") == """
            <table>
            <thead>
            <tr>
            <th class="align-center">abc</th>
            <th class="align-right">defghi</th>
            </tr>
            </thead>
            <tbody>
            <tr>
            <td class="align-center">bar</td>
            <td class="align-right">baz</td>
            </tr>
            </tbody>
            </table>

            """)
        #expect(table("a | b | c\n:-- | --- | --:\n").contains(#"<th class="align-left">a</th>\#n<th>b</th>\#n<th class="align-right">c</th>"#))
    }

    @Test func escapedPipesAreCellContentAlsoInCodeAndEmphasis() {
        #expect(table("| f\\|oo  |\n| ------ |\n| b `\\|` az |\n| b **\\|** im |\n") == """
            <table>
            <thead>
            <tr>
            <th>f|oo</th>
            </tr>
            </thead>
            <tbody>
            <tr>
            <td>b <code>|</code> az</td>
            </tr>
            <tr>
            <td>b <strong>|</strong> im</td>
            </tr>
            </tbody>
            </table>

            """)
        // An unescaped pipe splits the cell even inside backticks, as in GFM; `\\` is a
        // backslash, and the pipe after it splits.
        #expect(PipeTables.cells(of: "| `a|b` | c |") == ["`a", "b`", "c"])
        #expect(PipeTables.cells(of: #"a \\| b"#) == [#"a \\"#, "b"])
        #expect(PipeTables.cells(of: #"| x \| y |"#) == ["x | y"])
    }

    @Test func theTableEndsAtAnotherBlock() {
        #expect(table("| abc | def |\n| --- | --- |\n| bar | baz |\n> bar\n") == """
            <table>
            <thead>
            <tr>
            <th>abc</th>
            <th>def</th>
            </tr>
            </thead>
            <tbody>
            <tr>
            <td>bar</td>
            <td>baz</td>
            </tr>
            </tbody>
            </table>
            <blockquote>
            <p>bar</p>
            </blockquote>

            """)
    }

    @Test func theTableEndsAtABlankLineAndALineBeforeItIsARow() {
        #expect(table("| abc | def |\n| --- | --- |\n| bar | baz |\nbar\n\nbar\n") == """
            <table>
            <thead>
            <tr>
            <th>abc</th>
            <th>def</th>
            </tr>
            </thead>
            <tbody>
            <tr>
            <td>bar</td>
            <td>baz</td>
            </tr>
            <tr>
            <td>bar</td>
            <td></td>
            </tr>
            </tbody>
            </table>
            <p>bar</p>

            """)
    }

    @Test func aDelimiterRowWithAnotherCellCountIsNoTable() {
        #expect(table("| abc | def |\n| --- |\n| bar |\n") == "<p>| abc | def |\n| --- |\n| bar |</p>\n")
        #expect(PipeTables.alignments(ofDelimiterRow: "| --- | -x- |") == nil)
        #expect(PipeTables.alignments(ofDelimiterRow: "| : |") == nil)
        #expect(PipeTables.alignments(ofDelimiterRow: "|:--|:-:|--:|---|") == [.left, .center, .right, .none])
    }

    @Test func withoutAPipeInTheHeadItIsProse() {
        #expect(table("Ratio\n:--\n") == "<p>Ratio\n:--</p>\n")
        #expect(table("| One |\n:--\n").contains(#"<th class="align-left">One</th>"#))
    }

    @Test func raggedRowsArePaddedOrCut() {
        #expect(table("| abc | def |\n| --- | --- |\n| bar |\n| bar | baz | boo |\n") == """
            <table>
            <thead>
            <tr>
            <th>abc</th>
            <th>def</th>
            </tr>
            </thead>
            <tbody>
            <tr>
            <td>bar</td>
            <td></td>
            </tr>
            <tr>
            <td>bar</td>
            <td>baz</td>
            </tr>
            </tbody>
            </table>

            """)
    }

    @Test func noBodyRowsNoTbody() {
        #expect(table("| abc | def |\n| --- | --- |\n") == "<table>\n<thead>\n<tr>\n<th>abc</th>\n<th>def</th>\n</tr>\n</thead>\n</table>\n")
    }

    // Block structure: cmark decides what is a paragraph.

    @Test func tablesInCodeBlocksStayCode() {
        let fenced = renderer.render("```\n| a | b |\n| - | - |\n```\n\n~~~md\n| a | b |\n| - | - |\n~~~\n", allowRawHTML: false).html
        #expect(!fenced.contains("<table>") && fenced.contains("| a | b |\n| - | - |"))
        let indented = renderer.render("Text.\n\n    | a | b |\n    | - | - |\n", allowRawHTML: false).html
        #expect(indented == "<p>Text.</p>\n<pre><code>| a | b |\n| - | - |\n</code></pre>\n")
    }

    @Test func linesBeforeTheHeaderStayAParagraph() {
        let html = table("Options:\n| a | b |\n| - | - |\n| 1 | 2 |\n")
        #expect(html.hasPrefix("<p>Options:</p>\n<table>\n<thead>\n<tr>\n<th>a</th>"))
    }

    @Test func tablesInQuotesAndListItems() {
        let quoted = table("> | a | b |\n> | - | - |\n> | 1 | 2 |\n")
        #expect(quoted.hasPrefix("<blockquote>\n<table>") && quoted.contains("<td>1</td>\n<td>2</td>"))
        let listed = table("- item\n  | a | b |\n  | - | - |\n  | 1 | 2 |\n")
        #expect(listed.hasPrefix("<ul>\n<li>item\n<table>") && listed.contains("<td>1</td>\n<td>2</td>"))
    }

    @Test func cellsAreInlinesOnlyAndSafeModeStillApplies() {
        let html = table("| a | b | c |\n| - | - | - |\n| # not a heading | - not a list | *em* _em_ |\n| <b>x</b> | [js](javascript:alert(1)) | > no quote |\n")
        #expect(html.contains("<td># not a heading</td>\n<td>- not a list</td>\n<td><em>em</em> <em>em</em></td>"))
        #expect(html.contains("<td><!-- raw HTML omitted -->x<!-- raw HTML omitted --></td>"))
        #expect(!html.contains("javascript:") && !html.contains("<b>"))
        #expect(html.contains("<td>&gt; no quote</td>"))
        #expect(!html.contains("\u{A0}"))
    }

    @Test func theRegionIsLabelledByTheHeaderOncePerHeader() {
        let html = renderer.render("| Flag | `Default` |\n| - | - |\n\n| Flag | `Default` |\n| - | - |\n\n| \"q\" & <i>x</i> |\n| - |\n", allowRawHTML: false).html
        #expect(html.contains(#"<div class="table-wrap" tabindex="0" role="region" aria-label="Table: Flag, Default">"#))
        #expect(html.contains(#"aria-label="Table 2: Flag, Default">"#))
        #expect(html.contains(#"aria-label="Table: &quot;q&quot; &amp; x">"#))
    }

    @Test func linksInCellsAreRewrittenAndKnowTheirLines() {
        let renderer = MarkdownRenderer(rewriteLink: { $0 == "a.md" ? "/docs/a/" : nil })
        let result = renderer.render("Intro [x](x.md)\n| a | b |\n| - | - |\n| [a](a.md) | 1 |\n| 2 | ![i](i.png) [b](b.md) |\n", allowRawHTML: false)
        #expect(result.links.map(\.written) == ["x.md", "a.md", "i.png", "b.md"])
        #expect(result.links.map(\.line) == [1, 4, 5, 5])
        #expect(result.html.contains(#"<td><a href="/docs/a/">a</a></td>"#))
    }
}

@Suite struct CalloutTests {
    let renderer = MarkdownRenderer()

    @Test(arguments: [("NOTE", "note", "Note"), ("TIP", "tip", "Tip"), ("IMPORTANT", "important", "Important"),
                      ("WARNING", "warning", "Warning"), ("CAUTION", "caution", "Caution")])
    func eachKind(marker: String, kind: String, title: String) {
        let html = renderer.render("> [!\(marker)]\n> Some *text*.\n>\n> - a list\n", allowRawHTML: false).html
        #expect(html == """
            <div class="callout callout-\(kind)" role="note">
            <p class="callout-title">\(title)</p>
            <p>Some <em>text</em>.</p>
            <ul>
            <li>a list</li>
            </ul>
            </div>

            """)
    }

    @Test func theMarkerIsCaseInsensitiveAndMayStandAlone() {
        #expect(renderer.render("> [!tip]\n>\n> Later.\n", allowRawHTML: false).html
            == "<div class=\"callout callout-tip\" role=\"note\">\n<p class=\"callout-title\">Tip</p>\n<p>Later.</p>\n</div>\n")
    }

    @Test func otherQuotesStayQuotes() {
        for markdown in ["> [!NOTE] on the same line\n", "> [!DANGER]\n> Unknown kind.\n", "> [!NOTE]\n", "> Plain.\n", "> **[!NOTE]**\n> Bold.\n"] {
            let html = renderer.render(markdown, allowRawHTML: false).html
            #expect(html.hasPrefix("<blockquote>") && !html.contains("callout"), "\(markdown)")
        }
    }

    @Test func headingsTablesAndLinksInsideKeepWorking() {
        let result = renderer.render("Intro.\n\n> [!WARNING]\n> ### Careful\n> See [there](there.md).\n>\n> | a | b |\n> | - | - |\n> | [c](c.md) | d |\n", allowRawHTML: false)
        #expect(result.headings.map(\.id) == ["careful"])
        #expect(result.html.contains(#"<h3 id="careful">Careful"#))
        #expect(result.html.contains("<div class=\"callout callout-warning\" role=\"note\">\n<p class=\"callout-title\">Warning</p>\n<h3"))
        #expect(result.html.contains("<td><a href=\"c.md\">c</a></td>"))
        #expect(result.links.map(\.line) == [5, 9])
    }

    @Test func calloutsNest() {
        let html = renderer.render("> [!NOTE]\n> Outer.\n>\n> > [!CAUTION]\n> > Inner.\n", allowRawHTML: false).html
        #expect(html.contains("callout-note") && html.contains("callout-caution") && !html.contains("blockquote"))
    }
}

@Suite struct CodeTabTests {
    let renderer = MarkdownRenderer()

    @Test func consecutiveTabbedBlocksAreOneGroupWithTheSampleMarkup() {
        let html = renderer.render("## Create\n\n```bash tab=\"curl\"\ncurl -X POST x\n```\n\n```python tab=\"Python\"\nprint(1)\n```\n", allowRawHTML: false).html
        #expect(html == """
            <h2 id="create">Create <a class="anchor" href="#create" aria-label="Link to this section">#</a></h2>
            <div class="samples" data-samples>
            <section class="sample" id="sample-1-curl" data-sample="curl" aria-labelledby="sample-1-curl-title">
            <h3 class="sample-title" id="sample-1-curl-title">curl</h3>
            <pre class="code" tabindex="0"><code class="language-bash">curl <span class="tok-f">-X</span> POST x
            </code></pre>
            </section>
            <section class="sample" id="sample-1-python" data-sample="python" aria-labelledby="sample-1-python-title">
            <h3 class="sample-title" id="sample-1-python-title">Python</h3>
            <pre class="code" tabindex="0"><code class="language-python"><span class="tok-k">print</span>(<span class="tok-n">1</span>)
            </code></pre>
            </section>
            </div>

            """)
    }

    @Test func anotherBlockBetweenStartsANewGroup() {
        let markdown = """
            ```js tab="JavaScript"
            a()
            ```

            Between.

            ```js tab=JavaScript
            b()
            ```
            ```swift tab='Swift'
            c()
            ```
            ```json
            {}
            ```

            """
        let html = renderer.render(markdown, allowRawHTML: false).html
        #expect(html.components(separatedBy: "data-samples").count - 1 == 2)
        #expect(html.contains(#"id="sample-1-javascript""#) && html.contains(#"id="sample-2-javascript""#) && html.contains(#"id="sample-2-swift""#))
        // The untabbed block after the group stays outside it.
        #expect(html.hasSuffix("</section>\n</div>\n<pre class=\"code\" tabindex=\"0\"><code class=\"language-json\">{}\n</code></pre>\n"))
    }

    @Test func theTitleIsOneLevelBelowTheLastHeading() {
        let tabs = "```sh tab=\"Shell\"\nls\n```\n"
        #expect(renderer.render(tabs, allowRawHTML: false).html.contains(#"<h2 class="sample-title""#))
        #expect(renderer.render("### Deep\n\n" + tabs, allowRawHTML: false).html.contains(#"<h4 class="sample-title""#))
        #expect(renderer.render("###### Deepest\n\n" + tabs, allowRawHTML: false).html.contains(#"<h6 class="sample-title""#))
    }

    @Test func aTabWithoutALanguageAndRepeatedLabels() {
        let html = renderer.render("```tab=\"Output\"\n<ok>\n```\n```text tab=\"Output\"\nagain\n```\n", allowRawHTML: false).html
        #expect(html.contains(#"<code class="language-text">&lt;ok&gt;"#))
        #expect(html.contains(#"id="sample-1-output""#) && html.contains(#"id="sample-1-output-1""#))
        #expect(!html.contains("tab="))
    }

    @Test func labelsAreEscaped() {
        let html = renderer.render("```sh tab=\"<b>&\"\nx\n```\n", allowRawHTML: false).html
        #expect(html.contains(">&lt;b&gt;&amp;</h2>"))
    }

    @Test func infoStrings() {
        let python = CodeTabs.parseInfo("python tab=\"Python 3\" title=x")
        #expect(python.language == "python" && python.attributes == ["tab": "Python 3", "title": "x"])
        let node = CodeTabs.parseInfo("tab='Node.js'")
        #expect(node.language == "" && node.attributes == ["tab": "Node.js"])
        #expect(CodeTabs.parseInfo("json").attributes.isEmpty)
    }
}

/// A broken link in a table cell or a callout fails the build at its line.
@Suite struct ExtensionLinkTests {
    @Test func brokenLinksInTablesAndCalloutsAreReportedAtTheirLines() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("""
            ---
            title: Tables
            ---

            | Page | Note |
            | ---- | ---- |
            | [fine](guide.md) | ok |
            | [gone](missing.md) | [anchor](guide.md#nowhere) |

            > [!NOTE]
            > See [also gone](gone.md).

            """, to: "docs/tables.md")
        #expect(await site.problems() == [
            "content/docs/tables.md:8: missing.md -> no such page or file",
            #"content/docs/tables.md:8: guide.md#nowhere -> no heading or element with id "nowhere" on /docs/guide/"#,
            "content/docs/tables.md:11: gone.md -> no such page or file",
        ])
    }
}

/// The extensions' HTML for `Fixtures/markdown/extensions.md`; `make golden` rewrites it.
@Suite struct MarkdownExtensionGoldenTests {
    @Test func theExtensionsFixtureMatchesItsGoldenFile() throws {
        let source = FixtureSite.testsFolder.appendingPathComponent("Fixtures/markdown/extensions.md")
        let html = MarkdownRenderer().render(try String(contentsOf: source, encoding: .utf8), allowRawHTML: false).html
        let url = FixtureSite.goldenFolder.appendingPathComponent("markdown-extensions.html")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try html.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(html == (try String(contentsOf: url, encoding: .utf8)), "differs from Golden/markdown-extensions.html; run `make golden` and review the diff")
    }
}

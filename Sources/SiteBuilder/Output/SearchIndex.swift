import Foundation

/// The index the docs' search script loads on first use: every listed page's title, its
/// section of the sidebar, its headings and its text. Built at build time, so search needs
/// no server.
enum SearchIndex {
    static let url = "/search-index.json"

    struct Entry: Encodable {
        /// Title, URL, sidebar section.
        var t: String
        var u: String
        var s: String
        /// Headings as `[id, text]`.
        var h: [[String]]
        /// The page's text, without markup.
        var x: String
    }

    static func build(pages: [RenderedPage], navigation: Navigation) -> Data {
        let entries = pages.filter(\.isListed).map { page in
            Entry(t: page.title, u: page.url, s: navigation.section(of: page.url)?.title ?? "",
                  h: page.headings.map { [$0.id, $0.text] }, x: text(of: page.html))
        }
        let encoder = JSONEncoder()
        // Sorted keys: Foundation's key order is not stable across runs, and builds must be.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(entries)) ?? Data("[]".utf8)
    }

    /// The readable text of a page's article, markup removed and whitespace collapsed.
    static func text(of html: String) -> String {
        guard let start = html.range(of: "<article"), let end = html.range(of: "</article>", range: start.upperBound..<html.endIndex) else { return "" }
        var text = ""
        var inTag = false
        for character in html[start.lowerBound..<end.lowerBound] {
            if character == "<" { inTag = true; text.append(" ") } else if character == ">" { inTag = false } else if !inTag { text.append(character) }
        }
        return text.htmlUnescaped.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

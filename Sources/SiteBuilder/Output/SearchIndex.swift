import Foundation

/// The index the docs' search script loads on first use: every listed page's title, its
/// section of the sidebar, its headings and its text. Built at build time, so search needs
/// no server.
enum SearchIndex {
    static let url = "/search-index.json"

    // Each entry: `t` title, `u` URL, `s` sidebar section, `h` headings as `[id, text]`,
    // `x` the page's text without markup.

    /// One page's entry, a JSON object, written by hand with fields in a fixed order:
    /// JSONEncoder was a tenth of a large site's build, and its key order is not stable.
    /// The index is `[` + the listed pages' entries joined by `,` + `]`.
    static func entry(for page: RenderedPage, navigation: Navigation) -> String {
        var json = "{\"h\":[" + page.headings.map { "[\(OrderedJSON.quoted($0.id)),\(OrderedJSON.quoted($0.text))]" }.joined(separator: ",")
        json += "],\"s\":" + OrderedJSON.quoted(navigation.section(of: page.url)?.title ?? "")
        json += ",\"t\":" + OrderedJSON.quoted(page.title) + ",\"u\":" + OrderedJSON.quoted(page.url)
        json += ",\"x\":" + OrderedJSON.quoted(text(of: page.html)) + "}"
        return json
    }

    /// The readable text of a page's article, markup removed and whitespace collapsed.
    static func text(of html: String) -> String {
        // Over bytes, not Characters or Foundation's search: this runs on every page of a
        // large site (Foundation's `range(of:)` was most of a 10,000-page update).
        guard let start = html.firstRange(ofBytes: "<article"),
              let end = html[start.upperBound...].firstRange(ofBytes: "</article>") else { return "" }
        var bytes: [UInt8] = []
        var inTag = false
        var lastWasSpace = true
        for byte in html.utf8[start.lowerBound..<end.lowerBound] {
            if byte == UInt8(ascii: "<") {
                inTag = true
            } else if byte == UInt8(ascii: ">") {
                inTag = false
                if !lastWasSpace { bytes.append(32); lastWasSpace = true }
            } else if !inTag {
                let isSpace = byte == 32 || byte == 10 || byte == 9 || byte == 13
                if isSpace {
                    if !lastWasSpace { bytes.append(32) }
                } else {
                    bytes.append(byte)
                }
                lastWasSpace = isSpace
            }
        }
        while bytes.last == 32 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self).htmlUnescaped
    }
}

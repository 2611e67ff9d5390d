import Foundation

/// Script and style the build puts inside a page (the connect page's first paint), made
/// smaller, and the digests its Content-Security-Policy allows them by.
enum InlineCode {
    /// Drops whole-line `//` comments, indentation and blank lines. Line breaks stay, so
    /// automatic semicolons and every string and regular expression are as written: the
    /// page's script has no multi-line strings.
    static func compactScript(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.drop { $0 == " " || $0 == "\t" } }
            .filter { !$0.isEmpty && !$0.hasPrefix("//") }
            .joined(separator: "\n")
    }

    /// Drops `/* … */` comments, indentation and blank lines.
    static func compactStyle(_ text: String) -> String {
        var out = "", rest = Substring(text)
        while let open = rest.range(of: "/*") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "*/") else { rest = ""; break }
            rest = rest[close.upperBound...]
        }
        out += rest
        return out.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.drop { $0 == " " || $0 == "\t" } }
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
    }

    /// JSON that can sit inside `<script type="application/json">`: no `<` can close the
    /// element or open a comment (`<` occurs only inside strings, where `\u003c` is the same).
    static func scriptSafeJSON(_ data: Data) -> String {
        String(decoding: data, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
    }

    /// The base64 SHA-256 of each attribute-less `<script>` and `<style>` element's text, as
    /// CSP's `'sha256-…'` sources name them. Other inline elements are not allowed by any
    /// hash, so the browser refuses them: the build writes none.
    static func hashes(in html: String) -> (scripts: [String], styles: [String]) {
        func digests(_ open: String, _ close: String) -> [String] {
            var found: [String] = []
            var rest = Substring(html)
            while let start = rest.range(of: open), let end = rest[start.upperBound...].range(of: close) {
                found.append(Digest.sha256Base64(Data(rest[start.upperBound..<end.lowerBound].utf8)))
                rest = rest[end.upperBound...]
            }
            return found
        }
        return (digests("<script>", "</script>"), digests("<style>", "</style>"))
    }
}

/// Highlights the fenced code blocks cmark rendered: `<pre><code class="language-x">…</code></pre>`.
enum CodeBlocks {
    static func highlight(in html: String) -> String {
        let open = "<pre><code class=\"language-"
        guard html.containsBytes(open) else { return html }
        var result = ""
        var rest = Substring(html)
        while let start = rest.firstRange(ofBytes: open) {
            result += rest[..<start.lowerBound]
            let afterOpen = rest[start.upperBound...]
            guard let quote = afterOpen.firstIndex(of: "\""), let tagEnd = afterOpen[quote...].firstIndex(of: ">"),
                  let close = afterOpen[tagEnd...].firstRange(ofBytes: "</code></pre>") else {
                result += rest[start.lowerBound...]
                return result
            }
            let language = String(afterOpen[..<quote])
            let escaped = String(afterOpen[afterOpen.index(after: tagEnd)..<close.lowerBound])
            let code = SyntaxHighlighter.grammar(for: language) == nil ? escaped
                : SyntaxHighlighter.highlight(escaped.htmlUnescaped, language: language)
            result += "<pre class=\"code\" tabindex=\"0\"><code class=\"language-\(language)\">\(code)</code></pre>"
            rest = afterOpen[close.upperBound...]
        }
        return result + rest
    }
}

extension String {
    /// The text of HTML that cmark or `htmlEscaped` escaped.
    var htmlUnescaped: String {
        guard utf8.contains(UInt8(ascii: "&")) else { return self }
        return replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

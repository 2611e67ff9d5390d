import CCMark

/// GitHub's alerts: a quote whose first line is `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`,
/// `[!WARNING]` or `[!CAUTION]` (any case), alone on its line, becomes
/// `<div class="callout callout-note" role="note">` with a title, and the rest of the quote,
/// still Markdown, inside. Elsewhere (GitHub, an editor) the same text is a quote that
/// reads well. A quote with nothing after the marker stays a quote, as on GitHub.
enum Callouts {
    enum Kind: String, CaseIterable, Sendable {
        case note, tip, important, warning, caution

        var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    }

    static func convert(_ quote: OpaquePointer) {
        guard let paragraph = cmark_node_first_child(quote), cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH else { return }
        // The first line's nodes: text only, up to the first line break.
        var marker = ""
        var firstLine: [OpaquePointer] = []
        var node = cmark_node_first_child(paragraph)
        while let current = node {
            let type = cmark_node_get_type(current)
            if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK { break }
            guard type == CMARK_NODE_TEXT else { return }
            marker += cmark_node_get_literal(current).map { String(cString: $0) } ?? ""
            firstLine.append(current)
            node = cmark_node_next(current)
        }
        let name = marker.trimmingCharacters(in: .whitespaces)
        guard name.hasPrefix("[!"), name.hasSuffix("]"), let kind = Kind(rawValue: name.dropFirst(2).dropLast().lowercased()) else { return }
        let lineBreak = node
        guard lineBreak != nil || cmark_node_next(paragraph) != nil else { return }

        for marked in firstLine + [lineBreak].compactMap({ $0 }) {
            cmark_node_unlink(marked)
            cmark_node_free(marked)
        }
        if cmark_node_first_child(paragraph) == nil {
            cmark_node_unlink(paragraph)
            cmark_node_free(paragraph)
        }
        let callout = CMark.customBlock(
            "<div class=\"callout callout-\(kind.rawValue)\" role=\"note\">\n<p class=\"callout-title\">\(kind.title)</p>", "</div>")
        CMark.moveChildren(of: quote, to: callout)
        CMark.replace(quote, with: callout)
    }
}

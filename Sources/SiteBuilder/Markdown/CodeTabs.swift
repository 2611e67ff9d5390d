import CCMark
import ConnectAPI

/// Tabs of fenced blocks: consecutive fenced blocks whose info string names a tab,
///
///     ```python tab="Python"
///
/// render as one group of tabs with the markup of an operation page's request samples
/// (`data-samples`, `.sample`, `.sample-title`), so `site.js` drives both alike and remembers
/// the reader's language across pages by the tab's slug (`python`, the operation pages'
/// sample ids: `curl`, `python`, `javascript`, `swift`). Without the script, the blocks stay
/// stacked under their titles. Elsewhere (GitHub, an editor) only the first word of the
/// info string counts, so each block keeps its highlighting.
///
/// A title is a heading one level below the last heading before the group (h3 under an h2),
/// so the page's outline stays in order; it is not listed in "On this page".
enum CodeTabs {
    static func convert(_ fences: [(node: OpaquePointer, headingLevel: Int)]) {
        var groups: [(level: Int, blocks: [(node: OpaquePointer, label: String)])] = []
        for (node, level) in fences {
            guard let info = cmark_node_get_fence_info(node).map({ String(cString: $0) }) else { continue }
            let (language, attributes) = parseInfo(info)
            guard let label = attributes["tab"], !label.isEmpty else { continue }
            // The class is `language-<first word>`: the attributes must not end up in it.
            cmark_node_set_fence_info(node, language.isEmpty ? "text" : language)
            if let last = groups.last?.blocks.last?.node, cmark_node_previous(node) == last {
                groups[groups.count - 1].blocks.append((node, label))
            } else {
                groups.append((level, [(node, label)]))
            }
        }
        for (number, group) in groups.enumerated() {
            let level = min(max(group.level + 1, 2), 6)
            let wrap = CMark.customBlock("<div class=\"samples\" data-samples>", "</div>")
            cmark_node_insert_before(group.blocks[0].node, wrap)
            var slugs = HeadingSlugger()
            for (node, label) in group.blocks {
                let slug = slugs.slug(for: label)
                let id = "sample-\(number + 1)-\(slug)"
                let section = CMark.customBlock(
                    "<section class=\"sample\" id=\"\(id)\" data-sample=\"\(slug)\" aria-labelledby=\"\(id)-title\">\n"
                        + "<h\(level) class=\"sample-title\" id=\"\(id)-title\">\(label.htmlEscaped)</h\(level)>",
                    "</section>")
                cmark_node_append_child(section, node)
                cmark_node_append_child(wrap, section)
            }
        }
    }

    /// The language (the first word, unless it is an attribute) and the `key="value"`,
    /// `key='value'` or `key=value` attributes of an info string.
    static func parseInfo(_ info: String) -> (language: String, attributes: [String: String]) {
        var words: [String] = []
        var current = ""
        var quote: Character?
        for character in info {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == " " || character == "\t" {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        var language = ""
        var attributes: [String: String] = [:]
        for (index, word) in words.enumerated() {
            if let equals = word.firstIndex(of: "=") {
                attributes[String(word[..<equals])] = String(word[word.index(after: equals)...])
            } else if index == 0 {
                language = word
            }
        }
        return (language, attributes)
    }
}

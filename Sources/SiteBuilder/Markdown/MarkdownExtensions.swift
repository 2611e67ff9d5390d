import Foundation
import CCMark

/// GitHub's block extensions on top of plain libcmark (libcmark-gfm cannot be linked beside
/// it): pipe tables, callouts and tabs of fenced blocks.
///
/// They work on the tree cmark parsed, before it is rendered, so cmark's own block structure
/// decides what is a paragraph, a quote or a fenced block: a table inside a fenced or an
/// indented code block stays code, a table ends where cmark's paragraph ends (a blank line,
/// or a quote, list, heading or fence starting). What they add are custom nodes, whose
/// markup cmark emits verbatim; everything an author wrote in them is still cmark's nodes,
/// rendered with the page's options (safe mode drops raw HTML in a table cell as anywhere).
struct MarkdownExtensions {
    /// Nodes parsed from a piece of the body (a table cell, the lines before a table), with
    /// what to add to a line cmark gives inside them to get the body's line.
    private var grafts: [OpaquePointer: Int] = [:]

    static func apply(to document: OpaquePointer, source: String, options: Int32) -> MarkdownExtensions {
        var paragraphs: [OpaquePointer] = []
        var quotes: [OpaquePointer] = []
        var fences: [(node: OpaquePointer, headingLevel: Int)] = []
        var headingLevel = 0
        let iterator = cmark_iter_new(document)
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            // A table needs a header row and a delimiter row: two lines at least.
            case CMARK_NODE_PARAGRAPH where cmark_node_get_end_line(node) > cmark_node_get_start_line(node):
                paragraphs.append(node)
            case CMARK_NODE_BLOCK_QUOTE:
                quotes.append(node)
            case CMARK_NODE_CODE_BLOCK:
                fences.append((node, headingLevel))
            case CMARK_NODE_HEADING:
                headingLevel = Int(cmark_node_get_heading_level(node))
            default:
                break
            }
        }
        cmark_iter_free(iterator)

        var extensions = MarkdownExtensions()
        if !paragraphs.isEmpty, source.utf8.contains(UInt8(ascii: "|")) {
            var tables = PipeTables(lines: SourceLines(source), options: options)
            for paragraph in paragraphs { tables.convert(paragraph) }
            extensions.grafts = tables.grafts
        }
        // After the tables: a quote's first paragraph may have been split off a table.
        for quote in quotes { Callouts.convert(quote) }
        CodeTabs.convert(fences)
        return extensions
    }

    /// The body line a node starts on, also inside a table cell.
    func line(of node: OpaquePointer) -> Int {
        let own = Int(cmark_node_get_start_line(node))
        guard !grafts.isEmpty else { return own }
        var current: OpaquePointer? = node
        while let ancestor = current {
            if let offset = grafts[ancestor] { return own + offset }
            current = cmark_node_parent(ancestor)
        }
        return own
    }
}

/// The body's lines, for what cmark's tree does not keep: the text of a paragraph's lines as
/// written (a table row's escaped pipes, before inline parsing).
struct SourceLines {
    private let lines: [[UInt8]]

    init(_ source: String) {
        lines = source.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            line.last == UInt8(ascii: "\r") ? Array(line.dropLast()) : Array(line)
        }
    }

    /// The lines of a paragraph without their containers' markers (`>`, a list's indent) and
    /// outer whitespace: the first line from the paragraph's column, the others with one `>`
    /// removed per enclosing quote (a lazy line has none).
    func content(of paragraph: OpaquePointer) -> [String] {
        let start = Int(cmark_node_get_start_line(paragraph)), end = Int(cmark_node_get_end_line(paragraph))
        guard start >= 1, end <= lines.count, start <= end else { return [] }
        var quotes = 0
        var parent = cmark_node_parent(paragraph)
        while let node = parent {
            if cmark_node_get_type(node) == CMARK_NODE_BLOCK_QUOTE { quotes += 1 }
            parent = cmark_node_parent(node)
        }
        return (start...end).map { number in
            var line = lines[number - 1][...]
            if number == start {
                line = line.dropFirst(max(0, Int(cmark_node_get_start_column(paragraph)) - 1))
            } else {
                for _ in 0..<quotes {
                    line = line.drop(while: { $0 == 32 || $0 == 9 })
                    guard line.first == UInt8(ascii: ">") else { break }
                    line = line.dropFirst()
                }
            }
            return String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
    }
}

/// Small helpers over cmark's C API.
enum CMark {
    /// A block whose markup is `enter` before its children and `exit` after them.
    static func customBlock(_ enter: String, _ exit: String) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
        cmark_node_set_on_enter(node, enter)
        cmark_node_set_on_exit(node, exit)
        return node
    }

    static func customInline(_ enter: String, _ exit: String) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)!
        cmark_node_set_on_enter(node, enter)
        cmark_node_set_on_exit(node, exit)
        return node
    }

    /// Moves every child of `source` to the end of `target`.
    static func moveChildren(of source: OpaquePointer, to target: OpaquePointer) {
        while let child = cmark_node_first_child(source) {
            cmark_node_append_child(target, child)
        }
    }

    /// Puts `replacement` where `node` is, and frees `node` (and what is left in it).
    static func replace(_ node: OpaquePointer, with replacement: OpaquePointer) {
        cmark_node_insert_before(node, replacement)
        cmark_node_unlink(node)
        cmark_node_free(node)
    }

    /// The text a reader sees: text and code spans, without markup.
    static func plainText(of node: OpaquePointer) -> String {
        var text = ""
        let iterator = cmark_iter_new(node)
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(child) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                text += cmark_node_get_literal(child).map { String(cString: $0) } ?? ""
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text += " "
            default:
                break
            }
        }
        cmark_iter_free(iterator)
        return text.trimmingCharacters(in: .whitespaces)
    }
}

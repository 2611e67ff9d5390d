import Foundation
import CCMark
import ConnectAPI

/// GFM pipe tables (GFM spec 0.29, section 4.10) on plain cmark.
///
/// cmark parses a table as a paragraph; a paragraph with a header row followed by a
/// delimiter row (`| --- | :---: |`) with as many cells becomes a table, from the header row
/// to the paragraph's end (a blank line or another block). Lines before the header stay a
/// paragraph. Rows are split on unescaped pipes first and `\|` becomes `|`, also inside a
/// code span, as GFM does; then each cell is parsed by cmark as inlines. Shorter rows get
/// empty cells, longer ones lose the excess. Alignment is a class (`align-center`), since
/// the site's CSP forbids `style` attributes.
///
/// The table scrolls inside a focusable, labelled region, so a phone's page never scrolls
/// sideways and a keyboard can scroll it.
struct PipeTables {
    enum Alignment: String, Sendable {
        case none, left, center, right
    }

    let lines: SourceLines
    let options: Int32
    /// The cells and split-off paragraphs, with the offset of their lines.
    private(set) var grafts: [OpaquePointer: Int] = [:]
    /// Region labels already used: each region of a page needs its own.
    private var labels: [String: Int] = [:]

    init(lines: SourceLines, options: Int32) {
        self.lines = lines
        self.options = options
    }

    /// Replaces `paragraph` with a table (and the paragraph before it) when it holds one.
    mutating func convert(_ paragraph: OpaquePointer) {
        let rows = lines.content(of: paragraph)
        guard rows.count >= 2 else { return }
        let first = Int(cmark_node_get_start_line(paragraph))
        for index in 0..<rows.count - 1 {
            guard let alignments = Self.alignments(ofDelimiterRow: rows[index + 1]) else { continue }
            // A pipe in one of the two rows: `Ratio` over `:--` is prose, not a table.
            guard rows[index].contains("|") || rows[index + 1].contains("|") else { continue }
            let header = Self.cells(of: rows[index])
            guard header.count == alignments.count else { continue }
            if index > 0 {
                // The lines before the header row are a paragraph of their own.
                let before = parse(rows[..<index].joined(separator: "\n"))
                while let block = cmark_node_first_child(before) {
                    cmark_node_insert_before(paragraph, block)
                    grafts[block] = first - 1
                }
                cmark_node_free(before)
            }
            let body = rows[(index + 2)...].enumerated().map { (line: first + index + 2 + $0.offset, cells: Self.cells(of: $0.element)) }
            CMark.replace(paragraph, with: table(header: header, line: first + index, alignments: alignments, body: body))
            return
        }
    }

    private mutating func table(header: [String], line: Int, alignments: [Alignment],
                                body: [(line: Int, cells: [String])]) -> OpaquePointer {
        let head = CMark.customBlock("<thead>", "</thead>")
        let headRow = row(header, line: line, alignments: alignments, tag: "th")
        cmark_node_append_child(head, headRow)
        var names: [String] = []
        var cell = cmark_node_first_child(headRow)
        while let node = cell {
            if cmark_node_get_type(node) == CMARK_NODE_CUSTOM_INLINE { names.append(CMark.plainText(of: node)) }
            cell = cmark_node_next(node)
        }
        let label = regionLabel(names.filter { !$0.isEmpty }.joined(separator: ", "))
        let wrap = CMark.customBlock(
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"\(label.htmlEscaped)\">\n<table>",
            "</table>\n</div>")
        cmark_node_append_child(wrap, head)
        if !body.isEmpty {
            let tbody = CMark.customBlock("<tbody>", "</tbody>")
            for (line, cells) in body { cmark_node_append_child(tbody, row(cells, line: line, alignments: alignments, tag: "td")) }
            cmark_node_append_child(wrap, tbody)
        }
        return wrap
    }

    /// `Table: Flag, Default, Meaning`, or `Table 2: ...` for a second table with the same head.
    private mutating func regionLabel(_ headText: String) -> String {
        let names = headText.isEmpty ? "" : ": " + headText
        let count = labels[names, default: 0] + 1
        labels[names] = count
        return (count == 1 ? "Table" : "Table \(count)") + names
    }

    private mutating func row(_ cells: [String], line: Int, alignments: [Alignment], tag: String) -> OpaquePointer {
        let row = CMark.customBlock("<tr>", "</tr>")
        for (column, alignment) in alignments.enumerated() {
            if column > 0 { cmark_node_append_child(row, cmark_node_new(CMARK_NODE_SOFTBREAK)) }
            let open = alignment == .none ? "<\(tag)>" : "<\(tag) class=\"align-\(alignment.rawValue)\">"
            let cell = CMark.customInline(open, "</\(tag)>")
            if column < cells.count, !cells[column].isEmpty { appendInlines(of: cells[column], to: cell) }
            grafts[cell] = line - 1
            cmark_node_append_child(row, cell)
        }
        return row
    }

    /// The cell's text parsed by cmark as inlines only: a no-break space in front keeps
    /// `# x`, `- x` or `> x` from starting a block, and counts as whitespace for emphasis,
    /// like the start of a line; it is removed again.
    private func appendInlines(of text: String, to cell: OpaquePointer) {
        let document = parse("\u{A0}" + text)
        defer { cmark_node_free(document) }
        guard let paragraph = cmark_node_first_child(document), cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH else { return }
        CMark.moveChildren(of: paragraph, to: cell)
        guard let first = cmark_node_first_child(cell), cmark_node_get_type(first) == CMARK_NODE_TEXT,
              let literal = cmark_node_get_literal(first).map({ String(cString: $0) }), literal.hasPrefix("\u{A0}") else { return }
        let rest = String(literal.dropFirst())
        if rest.isEmpty {
            cmark_node_unlink(first)
            cmark_node_free(first)
        } else {
            cmark_node_set_literal(first, rest)
        }
    }

    private func parse(_ text: String) -> OpaquePointer {
        text.withCString { cmark_parse_document($0, strlen($0), options) }!
    }

    // MARK: Rows

    /// The cells of a row: split on pipes that are not escaped, a leading and a trailing pipe
    /// optional, each cell trimmed, `\|` turned into `|` (other escapes are left to cmark).
    static func cells(of row: String) -> [String] {
        let bytes = Array(row.utf8)
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 32 || bytes[start] == 9 { start += 1 }
        while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 { end -= 1 }
        if start < end, bytes[start] == UInt8(ascii: "|") { start += 1 }
        var cells: [[UInt8]] = []
        var current: [UInt8] = []
        var endsWithPipe = false
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < end {
                if bytes[index + 1] != UInt8(ascii: "|") { current.append(byte) }
                current.append(bytes[index + 1])
                index += 2
                endsWithPipe = false
            } else if byte == UInt8(ascii: "|") {
                cells.append(current)
                current = []
                index += 1
                endsWithPipe = true
            } else {
                current.append(byte)
                index += 1
                endsWithPipe = false
            }
        }
        if !endsWithPipe { cells.append(current) }
        return cells.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces) }
    }

    /// The columns' alignments, or nil when the line is not a delimiter row: cells of
    /// hyphens with an optional colon at either end.
    static func alignments(ofDelimiterRow row: String) -> [Alignment]? {
        // Most lines are not: a quick look before splitting.
        guard let first = row.utf8.first, first == UInt8(ascii: "|") || first == UInt8(ascii: ":") || first == UInt8(ascii: "-"),
              row.utf8.contains(UInt8(ascii: "-")) else { return nil }
        var alignments: [Alignment] = []
        for cell in cells(of: row) {
            var dashes = Substring(cell)
            let left = dashes.hasPrefix(":"), right = dashes.count > 1 && dashes.hasSuffix(":")
            if left { dashes = dashes.dropFirst() }
            if right { dashes = dashes.dropLast() }
            guard !dashes.isEmpty, dashes.allSatisfy({ $0 == "-" }) else { return nil }
            alignments.append(left && right ? .center : left ? .left : right ? .right : .none)
        }
        return alignments.isEmpty ? nil : alignments
    }
}

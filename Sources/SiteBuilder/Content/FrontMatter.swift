import ConnectAPI
import Yams

/// The YAML header of a Markdown page, between `---` lines.
struct FrontMatter: Sendable, Equatable {
    var title: String
    var description: String?
    /// Position among its siblings in the sidebar; lower first.
    var order: Int?
    /// The layout in `templates/layouts/`; `guide` by default.
    var layout: String?

    /// Splits a page into its front matter and its Markdown body.
    /// - Returns: the front matter and the body, with the line the body starts on.
    static func split(_ text: String, file: String) throws(BuildProblem) -> (FrontMatter, body: String, bodyLine: Int) {
        // Over bytes: it runs on every page. Line endings may be \n or \r\n.
        let bytes = Array(text.utf8)
        func lineEnd(from start: Int) -> Int { bytes[start...].firstIndex(of: 10) ?? bytes.count }
        func isFence(_ start: Int, _ end: Int) -> Bool {
            var stop = end
            while stop > start, bytes[stop - 1] == 13 || bytes[stop - 1] == 32 || bytes[stop - 1] == 9 { stop -= 1 }
            var from = start
            while from < stop, bytes[from] == 32 || bytes[from] == 9 { from += 1 }
            return stop - from == 3 && bytes[from] == 45 && bytes[from + 1] == 45 && bytes[from + 2] == 45
        }
        guard !bytes.isEmpty, isFence(0, lineEnd(from: 0)) else {
            throw BuildProblem(file: file, line: 1, "missing front matter: start the file with a `---` line, `title: ...`, and a closing `---`")
        }
        var start = lineEnd(from: 0) + 1
        var line = 2
        while start <= bytes.count {
            let end = start < bytes.count ? lineEnd(from: start) : bytes.count
            if start < bytes.count, isFence(start, end) {
                let yaml = String(decoding: bytes[(lineEnd(from: 0) + 1)..<start], as: UTF8.self)
                let body = end < bytes.count ? String(decoding: bytes[(end + 1)...], as: UTF8.self) : ""
                return (try parse(yaml, file: file), body, line + 1)
            }
            if end >= bytes.count { break }
            start = end + 1
            line += 1
        }
        throw BuildProblem(file: file, line: 1, "front matter is not closed: add a `---` line after it")
    }

    private static func parse(_ yaml: String, file: String) throws(BuildProblem) -> FrontMatter {
        if let simple = SimpleFrontMatter.mapping(yaml) { return try fromMapping(simple, file: file) }
        let node = try YAMLFile.compose(yaml, shownAs: file, what: "front matter", firstLine: 2)
        guard let mapping = node.mapping else {
            throw BuildProblem(file: file, line: 2, "front matter must be a mapping such as `title: Overview`")
        }
        let known: Set<String> = ["title", "description", "order", "layout"]
        for key in mapping.keys {
            guard let name = key.string, known.contains(name) else {
                throw BuildProblem(file: file, line: key.mark.map { $0.line + 1 },
                                   "unknown front matter key `\(key.string ?? "?")`; use one of \(known.sorted().joined(separator: ", "))")
            }
        }
        guard let title = mapping["title"]?.string, !title.isEmpty else {
            throw BuildProblem(file: file, line: 2, "front matter needs a `title:`")
        }
        var order: Int?
        if let value = mapping["order"] {
            guard let number = value.int else {
                throw BuildProblem(file: file, line: value.mark.map { $0.line + 1 }, "`order` must be a whole number")
            }
            order = number
        }
        return FrontMatter(title: title, description: mapping["description"]?.string,
                           order: order, layout: mapping["layout"]?.string)
    }
}

extension FrontMatter {
    /// The fast path's result, checked by the same rules as a parsed mapping.
    fileprivate static func fromMapping(_ pairs: [(key: String, value: String, line: Int)], file: String) throws(BuildProblem) -> FrontMatter {
        let known: Set<String> = ["title", "description", "order", "layout"]
        var values: [String: String] = [:]
        for pair in pairs {
            guard known.contains(pair.key) else {
                throw BuildProblem(file: file, line: pair.line + 1, "unknown front matter key `\(pair.key)`; use one of \(known.sorted().joined(separator: ", "))")
            }
            values[pair.key] = pair.value
        }
        guard let title = values["title"], !title.isEmpty else {
            throw BuildProblem(file: file, line: 2, "front matter needs a `title:`")
        }
        var order: Int?
        if let text = values["order"] {
            guard let number = Int(text) else {
                throw BuildProblem(file: file, line: (pairs.first { $0.key == "order" }?.line ?? 1) + 1, "`order` must be a whole number")
            }
            order = number
        }
        return FrontMatter(title: title, description: values["description"], order: order, layout: values["layout"])
    }
}

/// Front matter made only of `key: value` lines with plain or simply quoted values, read
/// without a YAML parser: nearly every page's, and a YAML parse per page is most of the
/// loading time of a large site. Anything else returns nil and goes to Yams.
enum SimpleFrontMatter {
    static func mapping(_ yaml: String) -> [(key: String, value: String, line: Int)]? {
        var pairs: [(key: String, value: String, line: Int)] = []
        var keys = Set<String>()
        for (index, rawLine) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            guard let first = line.first, first.isLetter || first == "_",
                  let colon = line.firstIndex(of: ":") else { return nil }
            let key = String(line[..<colon])
            guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }), keys.insert(key).inserted else { return nil }
            let rest = line[line.index(after: colon)...]
            guard rest.isEmpty || rest.first == " " else { return nil }
            guard let value = scalar(rest.trimmingCharacters(in: .whitespaces)) else { return nil }
            pairs.append((key, value, index + 1))
        }
        return pairs
    }

    /// A value YAML reads as this same text, or nil when YAML might read it otherwise.
    private static func scalar(_ text: String) -> String? {
        guard let first = text.first else { return nil }
        if first == "\"" {
            guard text.count >= 2, text.last == "\"", !text.dropFirst().dropLast().contains(where: { $0 == "\"" || $0 == "\\" }) else { return nil }
            return String(text.dropFirst().dropLast())
        }
        if first == "'" {
            guard text.count >= 2, text.last == "'", !text.dropFirst().dropLast().contains("'") else { return nil }
            return String(text.dropFirst().dropLast())
        }
        // Indicators, comments, nested structure, and words YAML gives another type.
        if "[]{}&*!|>%@`#,?:-".contains(first) || text.containsBytes(": ") || text.containsBytes(" #") || text.hasSuffix(":") { return nil }
        if ["~", "null", "true", "false", "yes", "no", "on", "off"].contains(text.lowercased()) { return nil }
        return text
    }
}

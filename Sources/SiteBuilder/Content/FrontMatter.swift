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
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
            throw BuildProblem(file: file, line: 1, "missing front matter: start the file with a `---` line, `title: ...`, and a closing `---`")
        }
        guard let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
            throw BuildProblem(file: file, line: 1, "front matter is not closed: add a `---` line after it")
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        let body = lines[(end + 1)...].joined(separator: "\n")
        return (try parse(yaml, file: file), body, end + 2)
    }

    private static func parse(_ yaml: String, file: String) throws(BuildProblem) -> FrontMatter {
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

import ConnectAPI
import Foundation

/// `<!-- include deploy/nginx.conf -->`, on a line of its own in a page's Markdown, shows a
/// generated deploy file there as a fenced block, so a guide never carries a hand-made copy
/// of a config. The line becomes a fence around a token at load; the token becomes the
/// file's text once the build has made it (``SiteBuild``), in the page and its Markdown copy.
enum DeployInclude {
    static let opening = "<!-- include "

    /// The page's body with every include line replaced by a fence around its token.
    /// - Throws: the line of an include that names no generated file.
    static func expand(_ body: String, file: String, bodyLine: Int) throws(BuildProblem) -> String {
        guard body.contains(opening) else { return body }
        var lines = body.components(separatedBy: "\n")
        for (index, line) in lines.enumerated() where line.hasPrefix(opening) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let name = trimmed.hasSuffix("-->") ? String(trimmed.dropFirst(opening.count).dropLast(3)).trimmingCharacters(in: .whitespaces) : ""
            let known = DeployFiles.names.map { "deploy/" + $0.name }
            guard let position = known.firstIndex(of: name) else {
                let shown = name.isEmpty ? "an include without a file" : "includes \(name)"
                throw BuildProblem(file: file, line: bodyLine + index,
                                   "\(shown), which the build does not generate; it generates \(known.joined(separator: ", "))")
            }
            lines[index] = "````" + DeployFiles.names[position].language + "\n" + token(DeployFiles.names[position].name) + "\n````"
        }
        return lines.joined(separator: "\n")
    }

    /// What stands for a deploy file until it is made: plain ASCII that neither HTML
    /// escaping nor the highlighter changes.
    static func token(_ name: String) -> String { "@@generated:deploy/\(name)@@" }

    static let tokenPrefix = "@@generated:deploy/"

    /// How a file shows a deploy file in place of its token.
    enum Form {
        /// HTML-escaped, in a page.
        case html
        /// As it is, in a Markdown copy or llms-full.txt.
        case plain
        /// Not at all: the search index finds the guide by its words, not by a config's.
        case omitted
    }

    /// The form a token takes in an output file.
    static func form(in file: OutputFile) -> Form {
        if file.mediaType.hasPrefix("text/html") { return .html }
        if file.url == SearchIndex.url || !file.mediaType.hasPrefix("text/") { return .omitted }
        return .plain
    }

    /// The text with every token replaced by its file, in the form the file needs.
    static func substitute(_ text: String, files: [String: String], in file: OutputFile) -> String {
        var text = text
        for (name, content) in files {
            var body = content
            if body.hasSuffix("\n") { body.removeLast() }
            let shown: String
            switch form(in: file) {
            case .html: shown = body.htmlEscaped
            case .plain: shown = body
            case .omitted: shown = ""
            }
            text = text.replacingOccurrences(of: token(name), with: shown)
        }
        return text
    }
}

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

    /// The text with every token replaced by its file, HTML-escaped for a page.
    static func substitute(_ text: String, files: [String: String], html: Bool) -> String {
        var text = text
        for (name, content) in files {
            var body = content
            if body.hasSuffix("\n") { body.removeLast() }
            text = text.replacingOccurrences(of: token(name), with: html ? body.htmlEscaped : body)
        }
        return text
    }
}

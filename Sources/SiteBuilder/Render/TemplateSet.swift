import Foundation
import Mustache

/// The Mustache layouts and partials of `templates/`, parsed and checked.
///
/// Every file of `layouts/` and `partials/` is registered under its name without the
/// extension, so a layout says `{{> sidebar}}` and a page's front matter says
/// `layout: guide`. swift-mustache renders a missing partial as nothing, so every partial a
/// template names is checked here, at load, with its line.
struct TemplateSet: Sendable {
    let library: MustacheLibrary
    /// Template name to the file it came from and its text, for messages that point into it.
    let sources: [String: TemplateSource]

    static func load(from directory: URL, shownAs root: String) throws(BuildFailure) -> TemplateSet {
        var library = MustacheLibrary()
        var sources: [String: TemplateSource] = [:]
        var problems: [BuildProblem] = []
        for folder in ["layouts", "partials"] {
            let folderURL = directory.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folderURL.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".mustache") {
                let templateName = String(name.dropLast(".mustache".count))
                let display = "\(root)/\(folder)/\(name)"
                guard let text = try? String(contentsOf: folderURL.appendingPathComponent(name), encoding: .utf8) else {
                    problems.append(BuildProblem(file: display, "cannot be read as UTF-8"))
                    continue
                }
                if let earlier = sources[templateName] {
                    problems.append(BuildProblem(file: display, "has the same name as \(earlier.file); template names must be unique"))
                    continue
                }
                do {
                    library.register(try MustacheTemplate(string: text), named: templateName)
                    sources[templateName] = TemplateSource(file: display, text: text)
                } catch let error as MustacheTemplate.ParserError {
                    problems.append(BuildProblem(file: display, line: error.context.lineNumber,
                                                 "Mustache error: \(error.error) near `\(error.context.line.trimmingCharacters(in: .whitespaces))`"))
                } catch {
                    problems.append(BuildProblem(file: display, "Mustache error: \(error)"))
                }
            }
        }
        for (_, source) in sources.sorted(by: { $0.key < $1.key }) {
            for (partial, line) in partialReferences(in: source.text) where sources[partial] == nil {
                problems.append(BuildProblem(file: source.file, line: line,
                                             "partial `\(partial)` not found: add templates/partials/\(partial).mustache"))
            }
        }
        guard problems.isEmpty else { throw BuildFailure(problems) }
        return TemplateSet(library: library, sources: sources)
    }

    func has(_ name: String) -> Bool { sources[name] != nil }

    /// Renders a layout with a context of plain dictionaries and arrays.
    func render(_ context: [String: Any], layout: String) -> String {
        library.render(context, withTemplate: layout) ?? ""
    }

    /// Names in `{{> name}}` and `{{< name}}` tags, with their lines.
    static func partialReferences(in text: String) -> [(String, Int)] {
        var found: [(String, Int)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = Substring(line)
            while let open = rest.range(of: "{{") {
                rest = rest[open.upperBound...]
                guard let first = rest.first, first == ">" || first == "<" else { continue }
                guard let close = rest.range(of: "}}") else { break }
                let name = rest[rest.index(after: rest.startIndex)..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                if !name.isEmpty, !name.hasPrefix("*") { found.append((name, index + 1)) }
                rest = rest[close.upperBound...]
            }
        }
        return found
    }
}

/// A template file as written, e.g. `templates/layouts/guide.mustache` and its text.
struct TemplateSource: Sendable {
    var file: String
    var text: String
}

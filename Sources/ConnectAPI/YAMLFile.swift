import Foundation
import Yams

/// Reads a YAML data file into a `Decodable` value, with errors that name the file, the
/// line and the key at fault (Yams' decoding errors carry a key path but no line).
public enum YAMLFile {
    public static func decode<T: Decodable>(_ type: T.Type, at url: URL, shownAs file: String) throws(ContentProblem) -> T {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ContentProblem(file: file, "does not exist (looked in \(url.deletingLastPathComponent().path))")
        }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ContentProblem(file: file, "cannot be read as UTF-8 text")
        }
        return try decode(type, from: text, shownAs: file)
    }

    /// Parses YAML text into its node tree; a syntax error names its line.
    /// - Parameters:
    ///   - what: How the message names a part of the file, e.g. "front matter"; nil for the whole file.
    ///   - firstLine: The file line the text starts on, for text cut out of a larger file.
    public static func compose(_ text: String, shownAs file: String, what: String? = nil, firstLine: Int = 1) throws(ContentProblem) -> Node {
        let subject = what.map { "\($0) " } ?? ""
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ContentProblem(file: file, line: error.mark.map { $0.line + firstLine - 1 }, "\(subject)is not valid YAML: \(error.problem)")
        } catch {
            throw ContentProblem(file: file, line: firstLine, "\(subject)is not valid YAML: \(error)")
        }
        guard let root else { throw ContentProblem(file: file, line: firstLine, "\(subject)is empty") }
        return root
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String, shownAs file: String) throws(ContentProblem) -> T {
        let root = try compose(text, shownAs: file)
        do {
            return try YAMLDecoder().decode(T.self, from: root)
        } catch let error as DecodingError {
            let (path, message) = error.explained
            let line = root.node(at: path)?.mark?.line
            let key = path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            throw ContentProblem(file: file, line: line, key.isEmpty ? message : "`\(key)`: \(message)")
        } catch {
            throw ContentProblem(file: file, "\(error)")
        }
    }
}

extension YamlError {
    public var mark: Mark? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark
        default: nil
        }
    }

    public var problem: String {
        switch self {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        default: "\(self)"
        }
    }
}

private extension DecodingError {
    var explained: ([CodingKey], String) {
        switch self {
        case .keyNotFound(let key, let context):
            return (context.codingPath, "missing `\(key.stringValue)`")
        case .typeMismatch(let type, let context):
            return (context.codingPath, "expected \(Self.name(of: type)): \(context.debugDescription)")
        case .valueNotFound(let type, let context):
            return (context.codingPath, "expected \(Self.name(of: type)), found nothing")
        case .dataCorrupted(let context):
            return (context.codingPath, context.debugDescription)
        @unknown default:
            return ([], "\(self)")
        }
    }

    public static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type: "a whole number"
        case is Bool.Type: "true or false"
        default: "\(type)".lowercased()
        }
    }
}

extension Node {
    /// The node a decoding key path leads to, as far as it goes.
    public func node(at path: [CodingKey]) -> Node? {
        var current: Node? = self
        var last: Node? = self
        for key in path {
            if let index = key.intValue, let sequence = current?.sequence, index < sequence.count {
                current = sequence[index]
            } else if let mapping = current?.mapping {
                current = mapping[key.stringValue]
            } else {
                current = nil
            }
            if current == nil { break }
            last = current
        }
        return last
    }
}

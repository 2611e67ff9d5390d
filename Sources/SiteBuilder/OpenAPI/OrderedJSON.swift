import ConnectAPI
import Yams

/// JSON text from a YAML node, keeping the key order as written.
///
/// OpenAPIKit decodes examples into unordered dictionaries, and the reference must show them
/// field for field as published, so examples are read from the YAML node tree instead.
enum OrderedJSON {
    /// Indented by two spaces, as `JSON.stringify(value, null, 2)` writes it.
    static func pretty(_ node: Node) -> String {
        var output = ""
        write(node, indent: 0, pretty: true, into: &output)
        return output
    }

    /// On one line, without spaces.
    static func compact(_ node: Node) -> String {
        var output = ""
        write(node, indent: 0, pretty: false, into: &output)
        return output
    }

    private static func write(_ node: Node, indent: Int, pretty: Bool, into output: inout String) {
        let newline = pretty ? "\n" : ""
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let closePad = pretty ? String(repeating: "  ", count: indent) : ""
        switch node {
        case .mapping(let mapping):
            guard !mapping.isEmpty else { output += "{}"; return }
            output += "{" + newline
            for (index, (key, value)) in mapping.enumerated() {
                output += pad + quoted(key.string ?? "") + (pretty ? ": " : ":")
                write(value, indent: indent + 1, pretty: pretty, into: &output)
                output += (index < mapping.count - 1 ? "," : "") + newline
            }
            output += closePad + "}"
        case .sequence(let sequence):
            guard !sequence.isEmpty else { output += "[]"; return }
            output += "[" + newline
            for (index, value) in sequence.enumerated() {
                output += pad
                write(value, indent: indent + 1, pretty: pretty, into: &output)
                output += (index < sequence.count - 1 ? "," : "") + newline
            }
            output += closePad + "]"
        case .scalar(let scalar):
            output += literal(scalar, tag: node.tag)
        case .alias:
            output += "null"
        }
    }

    private static func literal(_ scalar: Node.Scalar, tag: Tag) -> String {
        switch tag.description {
        case Tag.Name.null.rawValue: return "null"
        case Tag.Name.bool.rawValue: return Bool.construct(from: scalar).map { $0 ? "true" : "false" } ?? quoted(scalar.string)
        case Tag.Name.int.rawValue: return Int.construct(from: scalar).map(String.init) ?? quoted(scalar.string)
        case Tag.Name.float.rawValue: return Double.construct(from: scalar).map { "\($0)" } ?? quoted(scalar.string)
        default: return quoted(scalar.string)
        }
    }

    static func quoted(_ text: String) -> String { JSONText.quoted(text) }
}

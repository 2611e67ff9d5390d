import Foundation
import Yams

/// `openapi.json`, the JSON twin of `openapi.yaml` for the tools that read only JSON: the
/// same document, key for key and in the same order, so the two never disagree.
enum OpenAPIJSON {
    /// - Throws: Yams' error when the YAML does not parse (the API reference loader has
    ///   already reported it by then).
    static func convert(yaml: String) throws -> Data {
        guard let node = try Yams.compose(yaml: yaml) else { return Data("null\n".utf8) }
        var text = ""
        write(node, indent: "", to: &text)
        return Data((text + "\n").utf8)
    }

    private static func write(_ node: Node, indent: String, to text: inout String) {
        let inner = indent + "  "
        switch node {
        case .mapping(let mapping):
            guard !mapping.isEmpty else { text += "{}"; return }
            text += "{\n"
            for (index, pair) in mapping.enumerated() {
                text += inner + quoted(pair.key.string ?? "") + ": "
                write(pair.value, indent: inner, to: &text)
                text += index == mapping.count - 1 ? "\n" : ",\n"
            }
            text += indent + "}"
        case .sequence(let sequence):
            guard !sequence.isEmpty else { text += "[]"; return }
            text += "[\n"
            for (index, item) in sequence.enumerated() {
                text += inner
                write(item, indent: inner, to: &text)
                text += index == sequence.count - 1 ? "\n" : ",\n"
            }
            text += indent + "]"
        case .scalar(let scalar):
            text += value(of: scalar, node: node)
        case .alias:
            text += "null"
        }
    }

    /// A plain scalar takes the type YAML's core schema resolves it to; a quoted or block
    /// scalar is always a string.
    private static func value(of scalar: Node.Scalar, node: Node) -> String {
        guard scalar.style == .plain || scalar.style == .any else { return quoted(scalar.string) }
        switch Tag.Name(rawValue: node.tag.rawValue) {
        case .null: return "null"
        case .bool: return node.bool.map { $0 ? "true" : "false" } ?? quoted(scalar.string)
        case .int: return node.int.map(String.init) ?? quoted(scalar.string)
        case .float:
            guard let number = node.float, number.isFinite else { return quoted(scalar.string) }
            return number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) + ".0" : String(number)
        default: return quoted(scalar.string)
        }
    }

    private static func quoted(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

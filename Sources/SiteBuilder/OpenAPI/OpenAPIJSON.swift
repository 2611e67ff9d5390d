import Foundation
import Yams

/// `openapi.json`, the JSON twin of `openapi.yaml` for the tools that read only JSON: the
/// same document, key for key and in the same order (``OrderedJSON``), so the two never
/// disagree.
enum OpenAPIJSON {
    /// The JSON of a parsed description (the tree ``APIReferenceLoader`` already has).
    static func document(_ root: Node) -> Data {
        Data((OrderedJSON.pretty(root) + "\n").utf8)
    }

    /// - Throws: Yams' error when the YAML does not parse.
    static func convert(yaml: String) throws -> Data {
        guard let node = try Yams.compose(yaml: yaml) else { return Data("null\n".utf8) }
        return document(node)
    }
}

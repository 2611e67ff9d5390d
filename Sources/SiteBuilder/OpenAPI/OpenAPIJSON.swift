import Foundation
import Yams

/// `openapi.json`, the JSON twin of `openapi.yaml` for the tools that read only JSON: the
/// same document, key for key and in the same order (``OrderedJSON``), so the two never
/// disagree.
enum OpenAPIJSON {
    /// - Throws: Yams' error when the YAML does not parse (the API reference loader has
    ///   already reported it by then).
    static func convert(yaml: String) throws -> Data {
        guard let node = try Yams.compose(yaml: yaml) else { return Data("null\n".utf8) }
        return Data((OrderedJSON.pretty(node) + "\n").utf8)
    }
}

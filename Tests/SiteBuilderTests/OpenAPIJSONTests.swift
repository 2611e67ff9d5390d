import Foundation
@testable import SiteBuilder
import Testing

/// `openapi.json` is the YAML's document: the same values, of the same JSON types, in order.
@Suite struct OpenAPIJSONTests {
    @Test func scalarsKeepTheirTypesAndKeysTheirOrder() throws {
        let yaml = """
            openapi: 3.0.3
            info:
              version: "1.0"
              title: Zed "quoted" \\ API
            count: 42
            ratio: 0.5
            flag: true
            nothing: null
            empty: {}
            list: [b, a, "3"]
            text: |
              two
              lines
            """
        let json = String(decoding: try OpenAPIJSON.convert(yaml: yaml + "\n"), as: UTF8.self)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["openapi"] as? String == "3.0.3")
        #expect((object["info"] as? [String: Any])?["version"] as? String == "1.0")
        #expect((object["info"] as? [String: Any])?["title"] as? String == #"Zed "quoted" \ API"#)
        #expect(object["count"] as? Int == 42)
        #expect(object["ratio"] as? Double == 0.5)
        #expect(object["flag"] as? Bool == true)
        #expect(object["nothing"] is NSNull)
        #expect((object["empty"] as? [String: Any])?.isEmpty == true)
        #expect(object["list"] as? [String] == ["b", "a", "3"])
        #expect(object["text"] as? String == "two\nlines\n")
        let keys = ["openapi", "info", "count", "ratio", "flag", "nothing", "empty", "list", "text"]
        let positions = keys.map { json.range(of: "\"\($0)\":")!.lowerBound }
        #expect(positions == positions.sorted())
    }
}

import Testing
import Yams
@testable import SiteBuilder

@Suite struct OrderedJSONTests {
    @Test func printsLikeJSONStringifyWithTwoSpaces() throws {
        let node = try #require(try Yams.compose(yaml: """
        zeta: "1"
        alpha:
          list: [1, 2.5, true, null]
          empty: {}
          none: []
        quoted: "say \\"hi\\"\\n"
        date: "2026-06-11T09:15:21Z"
        """))
        #expect(OrderedJSON.pretty(node) == """
        {
          "zeta": "1",
          "alpha": {
            "list": [
              1,
              2.5,
              true,
              null
            ],
            "empty": {},
            "none": []
          },
          "quoted": "say \\"hi\\"\\n",
          "date": "2026-06-11T09:15:21Z"
        }
        """)
        #expect(OrderedJSON.compact(node).hasPrefix(#"{"zeta":"1","alpha":{"list":[1,2.5,true,null]"#))
    }
}

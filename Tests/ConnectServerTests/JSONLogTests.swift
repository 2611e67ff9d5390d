@testable import ConnectServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOConcurrencyHelpers
import Testing

/// `--log-format json`: one object a line, that a log pipeline can parse, with the same
/// redaction as the text lines.
struct JSONLogTests {
    /// Lines a ``JSONLogHandler`` wrote.
    final class Lines: Sendable {
        let box = NIOLockedValueBox<[String]>([])
        var all: [String] { box.withLockedValue { $0 } }

        func logger(_ label: String) -> Logger {
            Logger(label: label) { label in
                JSONLogHandler(label: label) { line in self.box.withLockedValue { $0.append(line) } }
            }
        }

        func objects() throws -> [[String: Any]] {
            try all.map { line in
                #expect(line.hasSuffix("\n") && line.dropLast().firstIndex(of: "\n") == nil, "one line: \(line)")
                return try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            }
        }
    }

    @Test func everyRequestIsOneObjectWithItsFieldsAndNoSecret() async throws {
        let token = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXVzZXI.SIGNATURE-7421"
        let lines = Lines()
        let stub = StubUpstream()
        try await stub.run { base in
            var configuration = try TestServer { $0.upstream = base; $0.logFormat = .json }.configuration
            configuration.logFormat = .json
            let fixture = try SiteFixture.make()
            defer { fixture.remove() }
            configuration.publicDirectory = fixture.publicPath
            let server = try ConnectServer(configuration: configuration, logger: lines.logger("connect-server"),
                                           accessLogger: lines.logger("connect-server.access"))
            try await server.withApplication { app in
                try await app.test(.live) { client in
                    _ = try await client.execute(uri: "/connect/?token=\(token)&lang=de", method: .get,
                                                 headers: [.authorization: "Bearer \(token)", HTTPField.Name("X-Request-Id")!: "req-42"])
                    _ = try await client.execute(uri: "/v1/connect/requirements/status?token=\(token)", method: .get,
                                                 headers: [.authorization: "Bearer \(token)"])
                }
            }
        }
        for line in lines.all {
            #expect(!line.contains("SIGNATURE"), "\(line)")
            #expect(!line.contains("Bearer"), "\(line)")
        }
        let requests = try lines.objects().filter { $0["message"] as? String == "request" }
        #expect(requests.count == 2)
        let page = try #require(requests.first { ($0["target"] as? String ?? "").hasPrefix("/connect/") })
        #expect(page["target"] as? String == "/connect/?token=REDACTED&lang=de")
        #expect(page["request_id"] as? String == "req-42")
        #expect(page["method"] as? String == "GET")
        #expect(page["route"] as? String == "static")
        #expect(page["status"] as? Int == 404)
        #expect(page["logger"] as? String == "connect-server.access")
        #expect(page["level"] as? String == "info")
        #expect(page["client"] as? String == "127.0.0.1")
        #expect(page["duration_ms"] is Double)
        #expect(page["bytes"] is Int)
        let time = try #require(page["time"] as? String)
        #expect(ISO8601DateFormatter.withFractionalSeconds.date(from: time) != nil, "\(time)")
        let proxied = try #require(requests.first { ($0["target"] as? String ?? "").hasPrefix("/v1/") })
        #expect(proxied["route"] as? String == "requirement_statuses")
        #expect(proxied["status"] as? Int == 200)
        #expect(proxied["upstream_ms"] is Double)
        #expect(proxied["target"] as? String == "/v1/connect/requirements/status?token=REDACTED")
    }

    @Test func aValueCannotEndTheLineOrTheObject() throws {
        let lines = Lines()
        let logger = lines.logger("t")
        logger.warning("quote \" backslash \\ newline \n tab \t nul \u{0} line separator \u{2028} done",
                       metadata: ["path": "/a\"}\n{\"forged\":true", "count": .stringConvertible(3), "flag": .stringConvertible(true),
                                  "list": ["a", "b"], "nested": ["k": "v"]])
        let object = try #require(try lines.objects().first)
        #expect(object["message"] as? String == "quote \" backslash \\ newline \n tab \t nul \u{0} line separator \u{2028} done")
        #expect(object["path"] as? String == "/a\"}\n{\"forged\":true")
        #expect(object["forged"] == nil)
        #expect(object["count"] as? Int == 3)
        #expect(object["flag"] as? Bool == true)
        #expect(object["list"] as? [String] == ["a", "b"])
        #expect((object["nested"] as? [String: String]) == ["k": "v"])
        #expect(object["level"] as? String == "warning")
    }
}

extension ISO8601DateFormatter {
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}

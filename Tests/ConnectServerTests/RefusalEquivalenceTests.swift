import ConnectAPI
@testable import ConnectServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The server's own answers come from ``ErrorAnswer`` on both HTTP stacks: the channel
/// handlers' NIO form and the Hummingbird responder's form carry the same bytes.
struct RefusalEquivalenceTests {
    static let security = SecurityHeaders(hsts: false)

    @Test(arguments: ErrorCode.allCases)
    func bothFormsOfAContractErrorAgree(code: ErrorCode) {
        let answer = ErrorAnswer.contract(code, headers: [("Retry-After", "3")])
        let head = answer.head(version: .http1_1, security: Self.security, requestID: "id-1")
        let response = answer.response(security: Self.security, requestID: "id-1")
        #expect(Int(head.status.code) == response.status.code)
        #expect(head.headers.map { "\($0.name): \($0.value)" } == response.headers.map { "\($0.name.rawName): \($0.value)" })
        #expect(head.headers["content-length"] == [String(answer.body.readableBytes)])
        #expect(String(buffer: answer.body) == #"{"error":{"code":"\#(code.rawValue)","message":"\#(code.defaultMessage)"}}"#)
    }

    /// The same refusal over a socket (the channel's forwarder) and in process (the
    /// Hummingbird responder): same status, headers and body.
    @Test func aV1RefusalIsTheSameOnBothPaths() async throws {
        let live = try await TestServer().test(.live) { client in
            try await client.execute(uri: "/v1/nowhere", method: .get, headers: [.authorization: "Bearer t", .xRequestID: "same"])
        }
        let inProcess = try await TestServer().test(.router) { client in
            try await client.execute(uri: "/v1/nowhere", method: .get, headers: [.authorization: "Bearer t", .xRequestID: "same"])
        }
        #expect(live.status == .notFound && inProcess.status == .notFound)
        #expect(live.body == inProcess.body)
        for field in inProcess.headers where field.name != .date {
            #expect(live.headers[values: field.name] == inProcess.headers[values: field.name], "\(field.name)")
        }
    }
}

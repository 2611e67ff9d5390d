import ConnectAPI
import Foundation
import Testing

@Suite struct ErrorBodyTests {
    @Test func encodesTheContractsShape() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(ErrorBody(.unauthorized)), as: UTF8.self)
        #expect(json == #"{"error":{"code":"unauthorized","message":"Unauthorized"}}"#)
        let detailed = String(decoding: try encoder.encode(ErrorBody(.badRequest, details: ["input": "cannot be blank"])), as: UTF8.self)
        #expect(detailed == #"{"error":{"code":"bad_request","details":{"input":"cannot be blank"},"message":"Bad Request"}}"#)
    }

    @Test func everyCodeHasTheStatusOfItsName() {
        #expect(ErrorCode.badGateway.status == 502)
        #expect(ErrorCode.gatewayTimeout.status == 504)
        #expect(ErrorCode.payloadTooLarge.status == 413)
        #expect(ErrorCode.tooManyRequests.status == 429)
        #expect(ErrorCode.notFound.status == 404)
    }
}

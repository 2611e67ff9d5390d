import ConnectAPI
import Foundation
import Testing

@Suite struct ResponseHeaderPolicyTests {
    let script = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="

    @Test func everyAnswerCarriesTheSameFieldsInOrder() {
        #expect(ResponseHeaderPolicy(hsts: false).fields.map(\.name)
            == ["Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"])
        let withHSTS = ResponseHeaderPolicy(hsts: true).fields
        #expect(withHSTS.last == ResponseHeaderPolicy.Field("Strict-Transport-Security", "max-age=63072000; includeSubDomains"))
        #expect(ResponseHeaderPolicy.names == withHSTS.map(\.name))
    }

    /// The connect page is allowed its digests and its embedders, and loses X-Frame-Options
    /// only when it has embedders; anything that is no digest or origin is dropped.
    @Test func aPageGetsOnlyValidAllowances() {
        let policy = ResponseHeaderPolicy(hsts: false)
        let page = policy.fields(scriptHashes: [script, "x' 'unsafe-inline"], styleHashes: nil,
                                 frameAncestors: ["https://app.example.com", "https://x; script-src *"])
        let csp = page.first { $0.name == "Content-Security-Policy" }?.value ?? ""
        #expect(csp.contains("script-src 'self' 'sha256-\(script)';"))
        #expect(csp.contains("frame-ancestors https://app.example.com;"))
        #expect(!csp.contains("unsafe-inline") && !csp.contains("script-src *"))
        #expect(!page.contains { $0.name == "X-Frame-Options" })
        let scriptsOnly = policy.fields(scriptHashes: [script], styleHashes: nil)
        #expect(scriptsOnly.contains(ResponseHeaderPolicy.Field("X-Frame-Options", "DENY")))
        #expect(policy.fields(scriptHashes: ["nope"], styleHashes: [], frameAncestors: ["javascript:x"]) == policy.fields)
    }

    @Test func cachingIsAYearForHashedFilesAndRevalidationForTheRest() {
        #expect(CachePolicy.cacheControl(immutable: true) == "public, max-age=31536000, immutable")
        #expect(CachePolicy.cacheControl(immutable: false) == "no-cache")
    }

    @Test func aRefusalBodyIsTheContractsShapeWithSortedKeys() {
        #expect(String(decoding: ProxyRefusal.body(.unauthorized), as: UTF8.self)
            == #"{"error":{"code":"unauthorized","message":"Unauthorized"}}"#)
    }

    /// The configs' Bearer expression says what `hasBearer` says of one header.
    @Test(arguments: ["Bearer t", "bearer t", "BEARER  t", "Bearer \tt", "Bearer ", "Bearer", "Bearer  ", "Basic dXNlcg==",
                      "Bearert", " Bearer t", "Bearer\tt", "bearer x y", "Token t", ""])
    func theBearerExpressionAgreesWithTheRule(value: String) throws {
        let expression = try NSRegularExpression(pattern: ProxyRefusal.bearerPattern)
        let byRegex = expression.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
        #expect(byRegex == ProxyRefusal.hasBearer([value]), "\(value)")
    }
}

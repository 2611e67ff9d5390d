import ConnectAPI
@testable import ConnectServer
import HTTPTypes
import Testing

/// connect-server carries out ConnectAPI's decisions, the ones the deploy configs are
/// generated from: the same headers, the same refusals, the same limits.
struct SharedPolicyTests {
    @Test(arguments: [false, true])
    func theSecurityHeadersAreThePolicys(hsts: Bool) {
        let security = SecurityHeaders(hsts: hsts)
        #expect(security.pairs.map { ResponseHeaderPolicy.Field($0.name, $0.value) } == ResponseHeaderPolicy(hsts: hsts).fields)
        let page = security.fields(scriptHashes: ["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="], styleHashes: nil,
                                   frameAncestors: ["https://app.example.com"])
        #expect(page.map { ResponseHeaderPolicy.Field($0.name.rawName, $0.value) }
            == ResponseHeaderPolicy(hsts: hsts).fields(scriptHashes: ["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="], styleHashes: nil,
                                                       frameAncestors: ["https://app.example.com"]))
    }

    @Test func theBodyLimitIsTheSharedOne() {
        #expect(ConnectServerConfiguration().maxBodyBytes == ProxyRefusal.maxBodyBytes)
    }

    @Test(arguments: [["Bearer t"], ["bearer t"], ["Bearer "], ["Bearer"], ["Basic x"], ["Bearer t", "Bearer u"], [],
                      ["Bearer \t "], ["BEARER \tt"]])
    func theServersBearerRuleIsTheSharedOne(values: [String]) {
        #expect(ProxyPolicy.hasBearer(values) == ProxyRefusal.hasBearer(values), "\(values)")
    }

    @Test func aRefusalIsTheSharedShape() {
        let answer = ErrorAnswer.contract(.notFound)
        #expect(answer.contentType == ProxyRefusal.contentType)
        #expect(answer.cacheControl == CachePolicy.refusal)
        #expect(Array(answer.body.readableBytesView) == Array(ProxyRefusal.body(.notFound)))
    }
}

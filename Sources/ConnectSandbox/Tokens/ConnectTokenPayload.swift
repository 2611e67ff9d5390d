import JWTKit

/// The claims of a sandbox connect token: one end user of one App, for a limited time.
struct ConnectTokenPayload: JWTPayload, Equatable {
    /// The end user, as the App's backend named them.
    var userID: String
    /// The App's id.
    var app: String
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    /// Unique per token.
    var jti: IDClaim

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case app, iat, exp, jti
    }

    func verify(using algorithm: some JWTAlgorithm) throws {
        try exp.verifyNotExpired()
    }
}

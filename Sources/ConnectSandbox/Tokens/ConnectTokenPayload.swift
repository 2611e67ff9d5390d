import JWTKit

/// The claims of a sandbox connect token: one end user of one App, for a limited time.
struct ConnectTokenPayload: JWTPayload, Equatable {
    /// The end user, as the App's backend named them.
    var userID: String
    /// The App's id.
    var app: String
    /// The App's name, for the hosted page's words ("ask Support Triage for a new link").
    /// A sandbox addition: the page falls back to a generic phrase when a token lacks it.
    var appName: String?
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    /// Unique per token.
    var jti: IDClaim

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case appName = "app_name"
        case app, iat, exp, jti
    }

    func verify(using algorithm: some JWTAlgorithm) throws {
        try exp.verifyNotExpired()
    }
}

import Foundation
import JWTKit

/// Signs and verifies connect tokens with an ES256 key made at first start and kept in the
/// data folder, so that tokens survive a restart.
public struct TokenIssuer: Sendable {
    /// The longest life a token gets: the platform's 24 hours.
    public static let lifetime: TimeInterval = 24 * 60 * 60

    private let keys: JWTKeyCollection

    init(keys: JWTKeyCollection) {
        self.keys = keys
    }

    /// The issuer whose key is `token-signing-key.pem` in the folder.
    public static func load(from folder: SandboxDataFolder) async throws -> TokenIssuer {
        let pem = try folder.secret(named: "token-signing-key.pem") { Data(ES256PrivateKey().pemRepresentation.utf8) }
        let key = try ES256PrivateKey(pem: String(decoding: pem, as: UTF8.self))
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: key)
        return TokenIssuer(keys: keys)
    }

    /// A new token for a user of an App.
    /// - Parameter lifetime: At most 24 hours; shorter on request (tests of expiry).
    public func issue(userID: String, appID: String, appName: String? = nil, lifetime: TimeInterval = TokenIssuer.lifetime,
                      now: Date = Date()) async throws -> (token: String, expiresAt: Date) {
        // Whole seconds (JWT NumericDate as platforms write it), so `expires_at` equals `exp`.
        let issuedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let expiry = issuedAt.addingTimeInterval(min(max(lifetime, 1), Self.lifetime).rounded(.down))
        let payload = ConnectTokenPayload(userID: userID, app: appID, appName: appName, iat: .init(value: issuedAt), exp: .init(value: expiry),
                                          jti: .init(value: UUID().uuidString.lowercased()))
        return (try await keys.sign(payload), expiry)
    }

    /// The user and App a token names, or nil when its signature, expiry or shape is wrong.
    func verify(_ token: String) async -> ConnectTokenPayload? {
        try? await keys.verify(token, as: ConnectTokenPayload.self)
    }
}

import Foundation
import GRDB

/// One OAuth2 authorization or account linking in progress, answered on the sandbox's
/// consent page. Its id is 256 random bits; it can be answered once, within 10 minutes.
struct ConsentFlow: Sendable, Equatable {
    enum Kind: String, Sendable {
        /// Activates an OAuth2 connection.
        case oauth2
        /// Links an action-connector (pipedream) account.
        case account
    }

    static let lifetime: TimeInterval = 10 * 60

    var id: String
    var appID: String
    var userID: String
    var requirementID: String
    var kind: Kind
    var createdAt: Date
    var expiresAt: Date
    /// `allow` or `deny` once answered.
    var answer: String?

    init(appID: String, userID: String, requirementID: String, kind: Kind, now: Date) {
        var generator = SystemRandomNumberGenerator()
        id = (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
        self.appID = appID
        self.userID = userID
        self.requirementID = requirementID
        self.kind = kind
        createdAt = now
        expiresAt = now.addingTimeInterval(Self.lifetime)
    }

    init?(row: Row) {
        guard let kind = Kind(rawValue: row["kind"]) else { return nil }
        id = row["id"]
        appID = row["app_id"]
        userID = row["user_id"]
        requirementID = row["requirement_id"]
        self.kind = kind
        createdAt = Date(timeIntervalSince1970: row["created_at"])
        expiresAt = Date(timeIntervalSince1970: row["expires_at"])
        answer = row["answer"]
    }

    /// Whether an id has the shape the sandbox gives, checked before any lookup.
    static func isWellFormedID(_ id: String) -> Bool {
        id.count == 64 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}

/// What answering a flow did.
enum ConsentOutcome: Equatable {
    case allowed(ConsentFlow)
    case denied(ConsentFlow)
    case expired(ConsentFlow)
    case alreadyAnswered(ConsentFlow)
    case unknown
}

import Foundation
import GRDB

/// The sandbox's state in SQLite: end users' connections and linked accounts, and the
/// consent flows in progress.
///
/// A file database runs in WAL mode (GRDB's `DatabasePool`), so a crash loses nothing
/// committed; every change is one statement or one transaction, so concurrent submissions
/// for the same requirement leave exactly one row.
public struct SandboxStore: Sendable {
    let writer: any DatabaseWriter

    /// - Parameter path: A file path, or `:memory:` for tests.
    public init(path: String) throws {
        // Two processes on one data folder (a test run, a second start) wait for each
        // other's locks rather than fail.
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        if path == ":memory:" {
            writer = try DatabaseQueue(configuration: configuration)
        } else {
            writer = try DatabasePool(path: path, configuration: configuration)
        }
        try SandboxSchema.migrator.migrate(writer)
    }

    /// The requirements of an App that a user has fulfilled: an active connection or a
    /// linked account.
    func fulfilled(appID: String, userID: String) throws -> Set<String> {
        try writer.read { db in
            let sql = """
                SELECT requirement_id FROM connection WHERE app_id = ? AND user_id = ? AND status = 'active'
                UNION SELECT requirement_id FROM linked_account WHERE app_id = ? AND user_id = ?
                """
            return Set(try String.fetchAll(db, sql: sql, arguments: [appID, userID, appID, userID]))
        }
    }

    /// Stores submitted credentials, sealed, as the user's active connection; a second
    /// submission replaces the first in the same statement.
    func saveCredentials(appID: String, userID: String, requirementID: String, type: String, sealed: Data, now: Date) throws {
        try writer.write { db in
            try db.execute(sql: """
                INSERT INTO connection (app_id, user_id, requirement_id, connection_type, status, sealed_config, updated_at)
                VALUES (?, ?, ?, ?, 'active', ?, ?)
                ON CONFLICT (app_id, user_id, requirement_id) DO UPDATE SET
                  connection_type = excluded.connection_type, status = 'active',
                  sealed_config = excluded.sealed_config, updated_at = excluded.updated_at
                """, arguments: [appID, userID, requirementID, type, sealed, now.timeIntervalSince1970])
        }
    }

    /// The sealed configuration of a connection (for tests of encryption at rest).
    func sealedCredentials(appID: String, userID: String, requirementID: String) throws -> Data? {
        try writer.read { db in
            try Data.fetchOne(db, sql: "SELECT sealed_config FROM connection WHERE app_id = ? AND user_id = ? AND requirement_id = ?",
                              arguments: [appID, userID, requirementID])
        }
    }

    /// The requirements whose latest consent flow for this user was answered Deny: a new
    /// flow, unanswered, clears it, and so does Allow.
    func declined(appID: String, userID: String) throws -> Set<String> {
        try writer.read { db in
            let sql = """
                SELECT requirement_id FROM consent_flow AS f
                WHERE app_id = ? AND user_id = ? AND answer = 'deny'
                  AND f.rowid = (SELECT MAX(g.rowid) FROM consent_flow AS g
                                 WHERE g.app_id = f.app_id AND g.user_id = f.user_id AND g.requirement_id = f.requirement_id)
                """
            return Set(try String.fetchAll(db, sql: sql, arguments: [appID, userID]))
        }
    }

    /// Opens a consent flow. An OAuth2 flow also creates the user's pending connection,
    /// as the platform does; an active one stays active until a flow is allowed again.
    func startFlow(_ flow: ConsentFlow, connectionType: String?) throws {
        try writer.write { db in
            if flow.kind == .oauth2, let connectionType {
                try db.execute(sql: """
                    INSERT INTO connection (app_id, user_id, requirement_id, connection_type, status, updated_at)
                    VALUES (?, ?, ?, ?, 'pending', ?)
                    ON CONFLICT (app_id, user_id, requirement_id) DO NOTHING
                    """, arguments: [flow.appID, flow.userID, flow.requirementID, connectionType, flow.createdAt.timeIntervalSince1970])
            }
            try db.execute(sql: """
                INSERT INTO consent_flow (id, app_id, user_id, requirement_id, kind, created_at, expires_at, answer)
                VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
                """, arguments: [flow.id, flow.appID, flow.userID, flow.requirementID, flow.kind.rawValue,
                                 flow.createdAt.timeIntervalSince1970, flow.expiresAt.timeIntervalSince1970])
        }
    }

    func flow(id: String) throws -> ConsentFlow? {
        try writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM consent_flow WHERE id = ?", arguments: [id]) else { return nil }
            return ConsentFlow(row: row)
        }
    }

    /// Answers a flow once: Allow activates the connection or links the account, Deny
    /// changes nothing. Checking and answering happen in one transaction, so a double
    /// click or a replay cannot answer twice.
    func answer(flowID: String, allow: Bool, now: Date) throws -> ConsentOutcome {
        try writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM consent_flow WHERE id = ?", arguments: [flowID]),
                  let flow = ConsentFlow(row: row) else { return .unknown }
            guard flow.answer == nil else { return .alreadyAnswered(flow) }
            guard flow.expiresAt > now else { return .expired(flow) }
            try db.execute(sql: "UPDATE consent_flow SET answer = ? WHERE id = ?", arguments: [allow ? "allow" : "deny", flowID])
            guard allow else { return .denied(flow) }
            switch flow.kind {
            case .oauth2:
                try db.execute(sql: """
                    UPDATE connection SET status = 'active', updated_at = ?
                    WHERE app_id = ? AND user_id = ? AND requirement_id = ?
                    """, arguments: [now.timeIntervalSince1970, flow.appID, flow.userID, flow.requirementID])
            case .account:
                try db.execute(sql: """
                    INSERT INTO linked_account (app_id, user_id, requirement_id, linked_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (app_id, user_id, requirement_id) DO UPDATE SET linked_at = excluded.linked_at
                    """, arguments: [flow.appID, flow.userID, flow.requirementID, now.timeIntervalSince1970])
            }
            return .allowed(flow)
        }
    }
}

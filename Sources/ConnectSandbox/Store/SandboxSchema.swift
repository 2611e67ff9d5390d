import GRDB

/// The database's migrations; a new version appends one, never edits an old one.
enum SandboxSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: connections, linked accounts, consent flows") { db in
            try db.execute(sql: """
                CREATE TABLE connection (
                  app_id TEXT NOT NULL,
                  user_id TEXT NOT NULL,
                  requirement_id TEXT NOT NULL,
                  connection_type TEXT NOT NULL,
                  status TEXT NOT NULL CHECK (status IN ('pending', 'active')),
                  sealed_config BLOB,
                  updated_at REAL NOT NULL,
                  PRIMARY KEY (app_id, user_id, requirement_id)
                );
                CREATE TABLE linked_account (
                  app_id TEXT NOT NULL,
                  user_id TEXT NOT NULL,
                  requirement_id TEXT NOT NULL,
                  linked_at REAL NOT NULL,
                  PRIMARY KEY (app_id, user_id, requirement_id)
                );
                CREATE TABLE consent_flow (
                  id TEXT PRIMARY KEY NOT NULL,
                  app_id TEXT NOT NULL,
                  user_id TEXT NOT NULL,
                  requirement_id TEXT NOT NULL,
                  kind TEXT NOT NULL CHECK (kind IN ('oauth2', 'account')),
                  created_at REAL NOT NULL,
                  expires_at REAL NOT NULL,
                  answer TEXT CHECK (answer IN ('allow', 'deny'))
                );
                """)
        }
        return migrator
    }
}

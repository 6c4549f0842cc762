import CaravanCore
import CaravanStorage
import Foundation
import GRDB

/// The newsroom's people, invitations, failed sign-ins and sessions on SQLite. Times are kept to the second.
public struct SQLiteAccountStore: AccountStore, SessionStore {
    let database: SQLiteDatabase

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func addAccount(
        email: String, name: String, role: Account.Role, passwordHash: String, now: Date
    ) async throws -> Account {
        try await database.writer.write { db in
            try Self.insertAccount(
                email: Self.key(email), name: name, role: role, passwordHash: passwordHash, now: now, db: db)
        }
    }

    public func account(id: Account.ID) async throws -> Account? {
        try await database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE id = ?", arguments: [id.rawValue]).map(Self.account)
        }
    }

    public func credentials(email: String) async throws -> Credentials? {
        try await database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE email = ?", arguments: [Self.key(email)]).map {
                Credentials(account: Self.account($0), passwordHash: $0["password_hash"])
            }
        }
    }

    public func accounts() async throws -> [Account] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY role = 'admin' DESC, name, id").map(Self.account)
        }
    }

    public func setRole(_ role: Account.Role, of id: Account.ID) async throws {
        try await database.writer.write { db in
            // Counted and changed in one write transaction, so two admins demoting each other cannot both succeed.
            let current = try String.fetchOne(db, sql: "SELECT role FROM account WHERE id = ?", arguments: [id.rawValue])
            if current == Account.Role.admin.rawValue && role != .admin {
                let admins = try Int.fetchOne(db, sql: "SELECT count(*) FROM account WHERE role = 'admin'") ?? 0
                if admins <= 1 { throw AccountError.lastAdmin }
            }
            try db.execute(sql: "UPDATE account SET role = ? WHERE id = ?", arguments: [role.rawValue, id.rawValue])
        }
    }

    public func setPasswordHash(_ hash: String, of id: Account.ID) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE account SET password_hash = ? WHERE id = ?", arguments: [hash, id.rawValue])
        }
    }

    public func addInvitation(_ invitation: Invitation) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO invitation (token, email, name, role, invited_by, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    invitation.token, Self.key(invitation.email), invitation.name, invitation.role.rawValue,
                    invitation.invitedBy.rawValue, Self.seconds(invitation.expires),
                ])
        }
    }

    public func invitation(token: String, now: Date) async throws -> Invitation? {
        try await database.writer.read { db in
            try Self.openInvitation(token: token, now: now, db: db)
        }
    }

    public func invitations(now: Date) async throws -> [Invitation] {
        try await database.writer.read { db in
            // Every invitation lasts as long, so the one that expires last was made last.
            try Row.fetchAll(
                db, sql: "SELECT * FROM invitation WHERE expires_at > ? ORDER BY expires_at DESC, rowid DESC",
                arguments: [Self.seconds(now)]
            ).map(Self.invitation)
        }
    }

    public func acceptInvitation(token: String, passwordHash: String, now: Date) async throws -> Account {
        try await database.writer.write { db in
            guard let invitation = try Self.openInvitation(token: token, now: now, db: db) else {
                throw AccountError.invitationNotFound
            }
            let account = try Self.insertAccount(
                email: invitation.email, name: invitation.name, role: invitation.role, passwordHash: passwordHash,
                now: now, db: db)
            // The address has an account now: any other invitation to it is spent too.
            try db.execute(sql: "DELETE FROM invitation WHERE token = ? OR email = ?", arguments: [token, invitation.email])
            return account
        }
    }

    public func recordSignInFailure(email: String, at: Date) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: "INSERT INTO sign_in_failure (email, at) VALUES (?, ?)", arguments: [Self.key(email), Self.seconds(at)])
            // A day is far longer than any lockout; older failures only make the table grow.
            try db.execute(sql: "DELETE FROM sign_in_failure WHERE at < ?", arguments: [Self.seconds(at) - 86_400])
        }
    }

    public func signInFailures(email: String, since: Date) async throws -> [Date] {
        try await database.writer.read { db in
            try Int64.fetchAll(
                db, sql: "SELECT at FROM sign_in_failure WHERE email = ? AND at >= ? ORDER BY at",
                arguments: [Self.key(email), Self.seconds(since)]
            ).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        }
    }

    public func clearSignInFailures(email: String) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM sign_in_failure WHERE email = ?", arguments: [Self.key(email)])
        }
    }

    // MARK: - Sessions

    public func saveSession(key: String, data: Data, expires: Date?) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO session (key, data, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at
                    """, arguments: [key, data, expires.map(Self.seconds)])
        }
    }

    public func session(key: String, now: Date) async throws -> (data: Data, expires: Date?)? {
        try await database.writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT data, expires_at FROM session WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)",
                arguments: [key, Self.seconds(now)]
            ).map { row in
                (data: row["data"], expires: (row["expires_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) })
            }
        }
    }

    public func removeSession(key: String) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM session WHERE key = ?", arguments: [key])
        }
    }

    @discardableResult
    public func removeExpiredSessions(now: Date) async throws -> Int {
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM session WHERE expires_at <= ?", arguments: [Self.seconds(now)])
            return db.changesCount
        }
    }

    // MARK: - Rows

    /// Addresses are stored and looked up trimmed and lower-cased: people type them in any case.
    private static func key(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    private static func seconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }

    private static func insertAccount(
        email: String, name: String, role: Account.Role, passwordHash: String, now: Date, db: Database
    ) throws -> Account {
        do {
            try db.execute(
                sql: "INSERT INTO account (email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [email, name, role.rawValue, passwordHash, seconds(now)])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw AccountError.emailTaken(email)
        }
        return Account(
            id: Account.ID(rawValue: db.lastInsertedRowID), email: email, name: name, role: role,
            created: Date(timeIntervalSince1970: TimeInterval(seconds(now))))
    }

    private static func openInvitation(token: String, now: Date, db: Database) throws -> Invitation? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM invitation WHERE token = ? AND expires_at > ?", arguments: [token, seconds(now)]
        ).map(invitation)
    }

    private static func account(_ row: Row) -> Account {
        Account(
            id: Account.ID(rawValue: row["id"]), email: row["email"], name: row["name"],
            // A role this build does not know gets the least power.
            role: Account.Role(rawValue: row["role"]) ?? .author,
            created: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64)))
    }

    private static func invitation(_ row: Row) -> Invitation {
        Invitation(
            token: row["token"], email: row["email"], name: row["name"], role: Account.Role(rawValue: row["role"]) ?? .author,
            invitedBy: Account.ID(rawValue: row["invited_by"]),
            expires: Date(timeIntervalSince1970: TimeInterval(row["expires_at"] as Int64)))
    }
}

import CaravanCore
import CaravanStorage
import Foundation
import Logging
import PostgresNIO

/// The newsroom's people, invitations, failed sign-ins and sessions on PostgreSQL: the same behaviour as
/// SQLiteAccountStore, times kept to the second.
public struct PostgresAccountStore: AccountStore, SessionStore {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    private var logger: Logger { database.logger }

    public func addAccount(
        email: String, name: String, role: Account.Role, passwordHash: String, now: Date
    ) async throws -> Account {
        try await database.write(refusing: AccountError.self) { connection in
            try await insertAccount(
                email: Self.key(email), name: name, role: role, passwordHash: passwordHash, now: now, in: connection)
        }
    }

    public func account(id: Account.ID) async throws -> Account? {
        try await database.read { connection in
            try await connection.rows("SELECT * FROM account WHERE id = \(id.rawValue)", logger: logger).first
                .map(Self.account)
        }
    }

    public func credentials(email: String) async throws -> Credentials? {
        try await database.read { connection in
            let rows = try await connection.rows(
                "SELECT * FROM account WHERE email = \(Self.key(email))", logger: logger)
            return try rows.first.map {
                Credentials(account: try Self.account($0), passwordHash: try $0.get("password_hash"))
            }
        }
    }

    public func accounts() async throws -> [Account] {
        try await database.read { connection in
            // Names compared byte by byte, as SQLite compares text, whatever the server's locale.
            try await connection.rows(
                "SELECT * FROM account ORDER BY role = 'admin' DESC, name COLLATE \"C\", id", logger: logger
            ).map(Self.account)
        }
    }

    public func setRole(_ role: Account.Role, of id: Account.ID) async throws {
        try await database.write(refusing: AccountError.self) { connection in
            // Counted and changed under the writer lock, so two admins demoting each other cannot both succeed.
            let current = try await connection.value(
                "SELECT role FROM account WHERE id = \(id.rawValue)", as: String.self, logger: logger)
            if current == Account.Role.admin.rawValue && role != .admin {
                let admins = try await connection.value(
                    "SELECT count(*) FROM account WHERE role = 'admin'", as: Int.self, logger: logger) ?? 0
                if admins <= 1 { throw AccountError.lastAdmin }
            }
            try await connection.execute(
                "UPDATE account SET role = \(role.rawValue) WHERE id = \(id.rawValue)", logger: logger)
        }
    }

    public func setPasswordHash(_ hash: String, of id: Account.ID) async throws {
        try await database.write { connection in
            try await connection.execute(
                "UPDATE account SET password_hash = \(hash) WHERE id = \(id.rawValue)", logger: logger)
        }
    }

    public func addInvitation(_ invitation: Invitation) async throws {
        try await database.write { connection in
            try await connection.execute(
                """
                INSERT INTO invitation (token, email, name, role, invited_by, expires_at)
                VALUES (\(invitation.token), \(Self.key(invitation.email)), \(invitation.name),
                    \(invitation.role.rawValue), \(invitation.invitedBy.rawValue), \(Self.seconds(invitation.expires)))
                """, logger: logger)
        }
    }

    public func invitation(token: String, now: Date) async throws -> Invitation? {
        try await database.read { connection in
            try await openInvitation(token: token, now: now, in: connection)
        }
    }

    public func invitations(now: Date) async throws -> [Invitation] {
        try await database.read { connection in
            // The last to expire was made last; within a second, the inserting transaction's id stands in for rowid.
            try await connection.rows(
                """
                SELECT * FROM invitation WHERE expires_at > \(Self.seconds(now))
                ORDER BY expires_at DESC, xmin::text::bigint DESC, token COLLATE "C" DESC
                """, logger: logger
            ).map(Self.invitation)
        }
    }

    public func acceptInvitation(token: String, passwordHash: String, now: Date) async throws -> Account {
        try await database.write(refusing: AccountError.self) { connection in
            guard let invitation = try await openInvitation(token: token, now: now, in: connection) else {
                throw AccountError.invitationNotFound
            }
            let account = try await insertAccount(
                email: invitation.email, name: invitation.name, role: invitation.role, passwordHash: passwordHash,
                now: now, in: connection)
            // The address has an account now: any other invitation to it is spent too.
            try await connection.execute(
                "DELETE FROM invitation WHERE token = \(token) OR email = \(invitation.email)", logger: logger)
            return account
        }
    }

    public func recordSignInFailure(email: String, at: Date) async throws {
        let (email, at) = (Self.key(email), Self.seconds(at))
        try await database.write { connection in
            try await connection.execute(
                "INSERT INTO sign_in_failure (email, at) VALUES (\(email), \(at))", logger: logger)
            // A day is far longer than any lockout; older failures only make the table grow.
            try await connection.execute("DELETE FROM sign_in_failure WHERE at < \(at - 86_400)", logger: logger)
        }
    }

    public func signInFailures(email: String, since: Date) async throws -> [Date] {
        try await database.read { connection in
            try await connection.values(
                """
                SELECT at FROM sign_in_failure WHERE email = \(Self.key(email)) AND at >= \(Self.seconds(since))
                ORDER BY at
                """, as: Int64.self, logger: logger
            ).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        }
    }

    public func clearSignInFailures(email: String) async throws {
        try await database.write { connection in
            try await connection.execute("DELETE FROM sign_in_failure WHERE email = \(Self.key(email))", logger: logger)
        }
    }

    // MARK: - Sessions

    public func saveSession(key: String, data: Data, expires: Date?) async throws {
        try await database.write { connection in
            try await connection.execute(
                """
                INSERT INTO session (key, data, expires_at) VALUES (\(key), \(data), \(expires.map(Self.seconds)))
                ON CONFLICT (key) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at
                """, logger: logger)
        }
    }

    public func session(key: String, now: Date) async throws -> (data: Data, expires: Date?)? {
        let found = try await database.read { connection in
            try await connection.rows(
                """
                SELECT data, expires_at FROM session
                WHERE key = \(key) AND (expires_at IS NULL OR expires_at > \(Self.seconds(now)))
                """, logger: logger
            ).first.map { row in
                (data: try row.get("data", as: Data.self), expires: try row.get("expires_at", as: Int64?.self))
            }
        }
        return found.map { (data: $0.data, expires: $0.expires.map { Date(timeIntervalSince1970: TimeInterval($0)) }) }
    }

    public func removeSession(key: String) async throws {
        try await database.write { connection in
            try await connection.execute("DELETE FROM session WHERE key = \(key)", logger: logger)
        }
    }

    @discardableResult
    public func removeExpiredSessions(now: Date) async throws -> Int {
        try await database.write { connection in
            try await connection.value(
                """
                WITH removed AS (DELETE FROM session WHERE expires_at <= \(Self.seconds(now)) RETURNING key)
                SELECT count(*) FROM removed
                """, as: Int.self, logger: logger) ?? 0
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

    private func insertAccount(
        email: String, name: String, role: Account.Role, passwordHash: String, now: Date,
        in connection: PostgresConnection
    ) async throws -> Account {
        let created = Self.seconds(now)
        let id: Int64?
        do {
            id = try await connection.value(
                """
                INSERT INTO account (email, name, role, password_hash, created_at)
                VALUES (\(email), \(name), \(role.rawValue), \(passwordHash), \(created))
                RETURNING id
                """, as: Int64.self, logger: logger)
        } catch let error as PSQLError where Self.isTakenAddress(error) {
            throw AccountError.emailTaken(email)
        }
        guard let id else { throw StorageError.databaseFailed(reason: "adding the account \(email) returned no id") }
        return Account(
            id: Account.ID(rawValue: id), email: email, name: name, role: role,
            created: Date(timeIntervalSince1970: TimeInterval(created)))
    }

    /// The unique violation of the address's own constraint; any other violation is a fault to report as one.
    private static func isTakenAddress(_ error: PSQLError) -> Bool {
        error.serverInfo?[.sqlState] == PostgresError.Code.uniqueViolation.raw
            && error.serverInfo?[.constraintName] == "account_email_key"
    }

    private func openInvitation(
        token: String, now: Date, in connection: PostgresConnection
    ) async throws -> Invitation? {
        try await connection.rows(
            "SELECT * FROM invitation WHERE token = \(token) AND expires_at > \(Self.seconds(now))", logger: logger
        ).first.map(Self.invitation)
    }

    private static func account(_ row: PostgresRandomAccessRow) throws -> Account {
        Account(
            id: Account.ID(rawValue: try row.get("id")), email: try row.get("email"), name: try row.get("name"),
            // A role this build does not know gets the least power.
            role: Account.Role(rawValue: try row.get("role")) ?? .author,
            created: Date(timeIntervalSince1970: TimeInterval(try row.get("created_at", as: Int64.self))))
    }

    private static func invitation(_ row: PostgresRandomAccessRow) throws -> Invitation {
        Invitation(
            token: try row.get("token"), email: try row.get("email"), name: try row.get("name"),
            role: Account.Role(rawValue: try row.get("role")) ?? .author,
            invitedBy: Account.ID(rawValue: try row.get("invited_by")),
            expires: Date(timeIntervalSince1970: TimeInterval(try row.get("expires_at", as: Int64.self))))
    }
}

extension PostgresDatabase {
    /// `write` for the refusals a store's contract names (a conflict, a taken address): the transaction is rolled back
    /// and the caller gets the refusal itself, not the database failure `write` would make of it.
    func write<Refusal: Error, Result: Sendable>(
        refusing _: Refusal.Type, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        var refusal: Refusal?
        do {
            return try await write { connection in
                do {
                    return try await body(connection)
                } catch let error as Refusal {
                    refusal = error
                    throw error
                }
            }
        } catch {
            if let refusal { throw refusal }
            throw error
        }
    }
}

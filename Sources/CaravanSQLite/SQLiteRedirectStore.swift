import CaravanStorage
import Foundation
import GRDB

/// The old site's addresses on SQLite.
public struct SQLiteRedirectStore: RedirectStore {
    let database: SQLiteDatabase

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func saveRedirects(_ redirects: [Redirect]) async throws -> (added: Int, changed: Int) {
        guard !redirects.isEmpty else { return (0, 0) }
        return try await database.writer.write { db in
            let known = try db.cachedStatement(sql: "SELECT to_path FROM redirect WHERE from_path = ?")
            let insert = try db.cachedStatement(sql: "INSERT INTO redirect (from_path, to_path) VALUES (?, ?)")
            let update = try db.cachedStatement(sql: "UPDATE redirect SET to_path = ? WHERE from_path = ?")
            var counts = (added: 0, changed: 0)
            for redirect in redirects.lastOfEach {
                switch try String.fetchOne(known, arguments: [redirect.from]) {
                case nil:
                    try insert.execute(arguments: [redirect.from, redirect.to])
                    counts.added += 1
                case let target? where target != redirect.to:
                    try update.execute(arguments: [redirect.to, redirect.from])
                    counts.changed += 1
                default: break
                }
            }
            return counts
        }
    }

    public func redirect(from key: String) async throws -> String? {
        try await database.writer.read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT to_path FROM redirect WHERE from_path = ?"), arguments: [key])
        }
    }

    public func redirects() async throws -> [Redirect] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT from_path, to_path FROM redirect ORDER BY from_path").map {
                Redirect(from: $0["from_path"], to: $0["to_path"])
            }
        }
    }
}

import CaravanStorage
import Foundation
import GRDB

/// The old site's addresses on SQLite.
public struct SQLiteRedirectStore: RedirectStore {
    let database: SQLiteDatabase

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func saveRedirects(_ redirects: [Redirect]) async throws {
        guard !redirects.isEmpty else { return }
        try await database.writer.write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT INTO redirect (from_path, to_path) VALUES (?, ?) ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path")
            for redirect in redirects { try statement.execute(arguments: [redirect.from, redirect.to]) }
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

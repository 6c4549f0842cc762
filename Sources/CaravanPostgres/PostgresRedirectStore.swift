import CaravanStorage
import Foundation
import Logging
import PostgresNIO

/// The old site's addresses on PostgreSQL.
public struct PostgresRedirectStore: RedirectStore {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    public func saveRedirects(_ redirects: [Redirect]) async throws {
        guard !redirects.isEmpty else { return }
        let logger = database.logger
        try await database.write { connection in
            // In runs of 1,000, each one statement.
            for start in stride(from: 0, to: redirects.count, by: 1_000) {
                let run = redirects[start..<min(start + 1_000, redirects.count)]
                try await connection.execute(
                    """
                    INSERT INTO redirect (from_path, to_path) SELECT * FROM unnest(\(run.map(\.from)), \(run.map(\.to)))
                    ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path
                    """, logger: logger)
            }
        }
    }

    public func redirect(from key: String) async throws -> String? {
        try await database.read { connection in
            try await connection.value("SELECT to_path FROM redirect WHERE from_path = \(key)", as: String.self, logger: database.logger)
        }
    }

    public func redirects() async throws -> [Redirect] {
        try await database.read { connection in
            try await connection.rows("SELECT from_path, to_path FROM redirect ORDER BY from_path", logger: database.logger).map {
                Redirect(from: try $0.get("from_path"), to: try $0.get("to_path"))
            }
        }
    }
}

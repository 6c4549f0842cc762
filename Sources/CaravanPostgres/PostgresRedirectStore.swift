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

    public func saveRedirects(_ redirects: [Redirect]) async throws -> (added: Int, changed: Int) {
        // One statement may not touch a row twice: one redirect an old address.
        let redirects = redirects.lastOfEach
        guard !redirects.isEmpty else { return (0, 0) }
        let logger = database.logger
        return try await database.write { connection in
            var counts = (added: 0, changed: 0)
            // In runs of 1,000, each one statement; a row comes back for each insert (xmax 0) and each real change.
            for start in stride(from: 0, to: redirects.count, by: 1_000) {
                let run = redirects[start..<min(start + 1_000, redirects.count)]
                for inserted in try await connection.values(
                    """
                    INSERT INTO redirect (from_path, to_path) SELECT * FROM unnest(\(run.map(\.from)), \(run.map(\.to)))
                    ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path WHERE redirect.to_path <> excluded.to_path
                    RETURNING xmax = 0
                    """, as: Bool.self, logger: logger)
                {
                    if inserted { counts.added += 1 } else { counts.changed += 1 }
                }
            }
            return counts
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

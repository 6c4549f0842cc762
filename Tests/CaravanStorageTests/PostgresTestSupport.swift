@testable import CaravanPostgres
@testable import CaravanSQLite
@testable import CaravanStorage
import Foundation
import Testing

/// The PostgreSQL server the tests may use: CARAVAN_TEST_POSTGRES_URL, which CI always sets. Each test gets a
/// database of its own, created empty and dropped afterwards, so tests run in parallel without seeing each other.
enum PostgresTestServer {
    /// nil when no server is configured; then the PostgreSQL runs are left out, and this says so once.
    static let url: String? = {
        let url = ProcessInfo.processInfo.environment["CARAVAN_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if url == nil {
            print(
                "PostgreSQL tests skipped: set CARAVAN_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres to run them"
            )
        }
        return url
    }()

    static var isAvailable: Bool { url != nil }

    /// The certificate of a test server with TLS on, to trust in verify-full tests; nil leaves those tests out.
    static let tlsRoot: String? = {
        let root = ProcessInfo.processInfo.environment["CARAVAN_TEST_POSTGRES_TLS_ROOT"].flatMap {
            $0.isEmpty ? nil : $0
        }
        if root == nil, url != nil {
            print(
                "PostgreSQL TLS test skipped: set CARAVAN_TEST_POSTGRES_TLS_ROOT to the certificate of a server with ssl=on"
            )
        }
        return root
    }()

    /// Runs `body` with the URL of a new, empty database (no schema yet), and drops the database afterwards.
    static func withEmptyDatabase<Result>(
        isolation: isolated (any Actor)? = #isolation, _ body: (String) async throws -> Result
    ) async throws -> Result {
        let server = try #require(url, "PostgreSQL tests need CARAVAN_TEST_POSTGRES_URL")
        let name = "caravan_test_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let databaseURL = try await PostgresServerAdministration.createDatabase(name, server: server)
        let result: Result
        do {
            result = try await body(databaseURL)
        } catch {
            try? await PostgresServerAdministration.dropDatabase(name, server: server)
            throw error
        }
        try await PostgresServerAdministration.dropDatabase(name, server: server)
        return result
    }

    /// Runs `body` with a new database, open and migrated, and drops it afterwards.
    static func withFreshDatabase<Result>(
        isolation: isolated (any Actor)? = #isolation, _ body: (PostgresDatabase) async throws -> Result
    ) async throws -> Result {
        try await withEmptyDatabase { url in
            try await PostgresDatabase.withDatabase(url: url) { database in try await body(database) }
        }
    }
}

/// One storage implementation, for contract suites that run every test once per backend: `@Test(arguments:)` over
/// `StorageBackend.all(…)` makes each run's name say which backend failed.
struct StorageBackend<Stores>: Sendable, CustomTestStringConvertible {
    let name: String
    /// Runs the body with stores over a fresh, empty database.
    let withStores: @Sendable (_ body: (Stores) async throws -> Void) async throws -> Void

    var testDescription: String { name }

    /// SQLite always (in memory), and PostgreSQL when a test server is configured.
    /// `sqliteReference`, when given, adds a second SQLite run (FTS5 alone, where `sqlite` reads the archive index).
    static func all(
        sqlite: @escaping @Sendable (SQLiteDatabase) throws -> Stores,
        sqliteReference: (@Sendable (SQLiteDatabase) throws -> Stores)? = nil,
        postgres: @escaping @Sendable (PostgresDatabase) throws -> Stores,
        postgresReference: (@Sendable (PostgresDatabase) throws -> Stores)? = nil
    ) -> [StorageBackend] {
        var backends = [
            StorageBackend(name: "SQLite") { body in try await body(try sqlite(try SQLiteDatabase.inMemory())) }
        ]
        if let sqliteReference {
            backends.append(
                StorageBackend(name: "SQLite, FTS5 alone") { body in
                    try await body(try sqliteReference(try SQLiteDatabase.inMemory()))
                })
        }
        guard PostgresTestServer.isAvailable else { return backends }
        let onPostgres = StorageBackend(name: "PostgreSQL") { body in
            try await PostgresTestServer.withFreshDatabase { database in try await body(try postgres(database)) }
        }
        guard let postgresReference else { return backends + [onPostgres] }
        let onReference = StorageBackend(name: "PostgreSQL, tsvector alone") { body in
            try await PostgresTestServer.withFreshDatabase { database in try await body(try postgresReference(database)) }
        }
        return backends + [onPostgres, onReference]
    }
}

import CaravanCore
@testable import CaravanPostgres
@testable import CaravanSQLite
@testable import CaravanStorage
import Foundation
import GRDB
import Testing

/// What only the PostgreSQL database has: shared migrations, the NOTIFY watch, its URLs and their errors.
@Suite("PostgreSQL database")
struct PostgresDatabaseTests {
    static let story = ArticleSubmission(
        id: Article.ID("notify"), title: "Rogun dam", standfirst: "", body: "Body.",
        published: Date(timeIntervalSince1970: 1_700_000_000), section: "Economy", countries: [.tajikistan], tags: [],
        author: nil, slug: nil, status: .published)

    @Test(.enabled(if: PostgresTestServer.isAvailable))
    func instancesStartingTogetherMigrateOnce() async throws {
        try await PostgresTestServer.withEmptyDatabase { url in
            async let first = PostgresDatabase.withDatabase(url: url) { try await $0.appliedMigrations() }
            async let second = PostgresDatabase.withDatabase(url: url) { try await $0.appliedMigrations() }
            let (firstSaw, secondSaw) = try await (first, second)
            let expected = PostgresSchema.migrations.map(\.name)
            #expect(firstSaw == expected)
            #expect(secondSaw == expected, "each migration is recorded once")
        }
    }

    @Test(.enabled(if: PostgresTestServer.isAvailable))
    func anotherInstancesChangeIsSeenAtOnce() async throws {
        try await PostgresTestServer.withEmptyDatabase { url in
            try await PostgresDatabase.withDatabase(url: url) { writer in
                try await PostgresDatabase.withDatabase(url: url) { reader in
                    let clock = ContinuousClock()
                    let start = clock.now
                    while !reader.isListeningForContentChanges, clock.now - start < .seconds(5) {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    try #require(reader.isListeningForContentChanges)
                    let before = try await reader.contentVersion()
                    _ = try await PostgresArticleStore(database: writer).save([Self.story])
                    let saved = clock.now
                    // While listening, the reader never re-reads on a timer: only the notification can move it on.
                    while try await reader.contentVersion() == before, clock.now - saved < .seconds(2) {
                        try await Task.sleep(for: .milliseconds(5))
                    }
                    #expect(try await reader.contentVersion() > before)
                    #expect(clock.now - saved < .seconds(1))
                    #expect(try await reader.contentVersion() == (try await writer.contentVersion()))
                }
            }
        }
    }

    /// `caravan copy` moves tables generically, so every SQLite table must exist here with the same columns, in the
    /// same order, of the matching type. PostgreSQL may have more: its own search tables and generated columns.
    @Test(.enabled(if: PostgresTestServer.isAvailable))
    func schemaMirrorsSQLiteColumnForColumn() async throws {
        let sqlite = try SQLiteDatabase.inMemory()
        let sqliteTables: [String: [String]] = try await sqlite.writer.read { db in
            let virtual = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
            let names = try String.fetchAll(
                db,
                sql:
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'"
            )
            var tables: [String: [String]] = [:]
            // FTS5 tables and their shadow tables have no counterpart on PostgreSQL.
            for name in names where !virtual.contains(where: { name == $0 || name.hasPrefix($0 + "_") }) {
                tables[name] = try Row.fetchAll(
                    db, sql: "SELECT name, type FROM pragma_table_info(?) ORDER BY cid", arguments: [name]
                )
                .map { "\($0["name"] as String) \(($0["type"] as String).lowercased())" }
            }
            return tables
        }
        #expect(sqliteTables.keys.contains("session") && sqliteTables.keys.contains("rate"))
        let postgresTables: [String: [String]] = try await PostgresTestServer.withFreshDatabase { database in
            try await database.read { connection in
                var tables: [String: [String]] = [:]
                for row in try await connection.rows(
                    """
                    SELECT table_name, column_name, data_type FROM information_schema.columns
                    WHERE table_schema = 'public' AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position
                    """, logger: database.logger)
                {
                    let type = try row.get("data_type", as: String.self)
                    let sqliteType = ["bigint": "integer", "text": "text", "bytea": "blob"][type] ?? type
                    tables[try row.get("table_name"), default: []].append(
                        "\(try row.get("column_name", as: String.self)) \(sqliteType)")
                }
                return tables
            }
        }
        for (table, columns) in sqliteTables {
            #expect(postgresTables[table] == columns, "table \(table)")
        }
    }

    @Test func malformedURLsSayWhatIsMissingWithoutThePassword() {
        #expect(throws: StorageError.self) { try PostgresDatabase(url: "postgres:///caravan") }
        do {
            _ = try PostgresDatabase(url: "postgres://:s3cret@/caravan")
            Issue.record("a URL without a host was accepted")
        } catch {
            #expect("\(error)".contains("names no host"))
            #expect(!"\(error)".contains("s3cret"))
        }
    }

    @Test func urlPartsAreRead() throws {
        let address = try PostgresAddress(parsing: "postgresql://news%40desk:p%3Ass@db.example:6543/caravan")
        #expect(try address == PostgresAddress(parsing: "postgres://news%40desk:p%3Ass@db.example:6543/caravan"))
        #expect(
            (address.user, address.password, address.host, address.port) == ("news@desk", "p:ss", "db.example", 6543))
        #expect(address.database == "caravan")
        #expect(try PostgresAddress(parsing: "postgres://caravan@localhost").port == 5432)
        #expect(try PostgresAddress(parsing: "postgres://caravan@localhost").database == nil)
    }

    @Test(arguments: [
        ("", PostgresAddress.TransportSecurity.prefer), ("?sslmode=disable", .disable), ("?sslmode=require", .require),
        ("?sslmode=verify-ca&sslrootcert=AUTHORITY", .verifyCA), ("?sslmode=verify-full", .verifyFull),
        ("?sslmode=allow", .allow),
    ])
    func sslModeMeansWhatItMeansToPsql(query: String, security: PostgresAddress.TransportSecurity) throws {
        let authority = try #require(
            Bundle.module.url(forResource: "Fixtures/tls/unrelated-authority", withExtension: "crt")
        ).path
        let url = "postgres://caravan@db.example/caravan" + query.replacingOccurrences(of: "AUTHORITY", with: authority)
        #expect(try PostgresAddress(parsing: url).security == security)
    }

    @Test(arguments: [
        ("?sslmode=on", "sslmode \"on\" is not one of disable, allow, prefer, require, verify-ca, verify-full"),
        ("?sslmode=", "sslmode \"\" is not one of"),
        ("?sslrootcert=/nonexistent/root.crt", "sslrootcert \"/nonexistent/root.crt\" is not a readable file"),
        (
            "?sslcert=/etc/client.crt",
            "the parameter \"sslcert\" is not understood (sslmode, sslrootcert, connect_timeout and application_name are)"
        ),
        ("?connect_timeout=soon", "connect_timeout \"soon\" is not a whole number of seconds above 0"),
        ("?sslmode=verify-ca", "sslmode=verify-ca needs sslrootcert=PATH"),
    ])
    func aBadConnectionParameterIsNamed(query: String, message: String) {
        do {
            _ = try PostgresAddress(parsing: "postgres://caravan:s3cret@db.example/caravan" + query)
            Issue.record("\(query) was accepted")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
            #expect(!"\(error)".contains("s3cret"))
        }
    }

    /// With CARAVAN_TEST_POSTGRES_TLS_ROOT naming the certificate of a test server that has TLS on (`.ci/run` makes
    /// one), connections are encrypted when the URL asks, verified against that certificate, and refused when the
    /// certificate cannot be trusted.
    @Test(.enabled(if: PostgresTestServer.isAvailable && PostgresTestServer.tlsRoot != nil))
    func connectionsAreEncryptedAndVerifiedWhenTheURLAsks() async throws {
        let root = try #require(PostgresTestServer.tlsRoot)
        try await PostgresTestServer.withEmptyDatabase { url in
            /// Whether the session is encrypted, connecting with these URL parameters (added properly encoded).
            func encrypted(_ parameters: [String: String]) async throws -> Bool {
                var components = try #require(URLComponents(string: url))
                components.queryItems =
                    (components.queryItems ?? []) + parameters.sorted { $0.key < $1.key }.map(URLQueryItem.init)
                let address = try #require(components.url?.absoluteString)
                return try await PostgresDatabase.withDatabase(url: address) { database in
                    try await database.read { connection in
                        try await connection.values(
                            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", as: Bool.self,
                            logger: database.logger)
                    }.first ?? false
                }
            }
            #expect(try await encrypted(["sslmode": "require"]))
            #expect(try await encrypted([:]), "prefer, the default, uses TLS when the server offers it")
            #expect(try await !encrypted(["sslmode": "disable"]))
            #expect(try await encrypted(["sslmode": "verify-full", "sslrootcert": root]))
            #expect(try await encrypted(["sslmode": "verify-ca", "sslrootcert": root]))
            #expect(try await encrypted(["sslmode": "require", "sslrootcert": root]))
            let unrelated = try #require(
                Bundle.module.url(forResource: "Fixtures/tls/unrelated-authority", withExtension: "crt")
            ).path
            // The test server's certificate is self-signed: neither the system's authorities nor an unrelated one
            // vouch for it, and `require` with an authority checks it, as libpq's does.
            for parameters in [
                ["sslmode": "verify-full"], ["sslmode": "verify-full", "sslrootcert": unrelated],
                ["sslmode": "require", "sslrootcert": unrelated],
            ] {
                do {
                    _ = try await encrypted(parameters)
                    Issue.record("an untrusted certificate was accepted with \(parameters)")
                } catch {
                    #expect("\(error)".hasPrefix("cannot connect to PostgreSQL at "), "\(error)")
                    #expect("\(error)".contains("not signed by an authority this machine trusts"), "\(error)")
                }
            }
        }
    }

    @Test(.enabled(if: PostgresTestServer.isAvailable))
    func theURLsApplicationNameIsWhatTheServerSees() async throws {
        try await PostgresTestServer.withEmptyDatabase { url in
            let named = url + (url.contains("?") ? "&" : "?") + "application_name=caravan-newsroom&connect_timeout=3"
            let seen = try await PostgresDatabase.withDatabase(url: named) { database in
                try await database.read { connection in
                    try await connection.values(
                        "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()", as: String.self,
                        logger: database.logger)
                }
            }
            #expect(seen == ["caravan-newsroom"])
        }
    }

    @Test func anUnreachableServerIsNamed() async throws {
        do {
            // Port 1 on the loopback refuses at once.
            try await PostgresDatabase.withDatabase(url: "postgres://caravan@127.0.0.1:1/caravan") { _ in }
            Issue.record("connecting to a closed port succeeded")
        } catch {
            #expect("\(error)".hasPrefix("cannot connect to PostgreSQL at 127.0.0.1:1: "), "\(error)")
        }
    }

    @Test(arguments: [
        ("SELECT 1; SELECT 2;", ["SELECT 1", "SELECT 2"]),
        ("SELECT 'a;b'; SELECT \"x;y\"", ["SELECT 'a;b'", "SELECT \"x;y\""]),
        ("SELECT 'it''s; fine'", ["SELECT 'it''s; fine'"]),
        ("SELECT E'\\'; still'", ["SELECT E'\\'; still'"]),
        ("-- a comment; not a statement\nSELECT 1 /* nested /* ; */ still */;", ["SELECT 1"]),
        (
            "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql; SELECT $1",
            ["CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql", "SELECT $1"]
        ),
        ("DO $body$ BEGIN PERFORM '$$;'; END $body$", ["DO $body$ BEGIN PERFORM '$$;'; END $body$"]),
        ("", []),
        (" ; ;\n", []),
    ])
    func scriptsSplitIntoStatements(script: String, statements: [String]) {
        #expect(SQLScript.statements(script) == statements)
    }
}

import CaravanCore
import CaravanSearch
import Foundation
import GRDB
import PostgresNIO

/// The engine's own query with nothing around it (match, rank, order, limit): what `caravan bench search` compares
/// the site's search with.
public struct BareSearch: Sendable {
    /// "FTS5 MATCH + bm25 + ORDER BY + LIMIT" or the like, for the benchmark's header.
    public let description: String
    let run: @Sendable (SearchRequest) async throws -> Void

    public func callAsFunction(_ request: SearchRequest) async throws {
        try await run(request)
    }

    public static func fts5(_ database: SQLiteDatabase) -> BareSearch {
        BareSearch(description: "FTS5 MATCH + bm25 + ORDER BY + LIMIT") { request in
            let expression = FTS5Query(parsing: request.text).matchAny ?? "\"\""
            let offset = (request.page - 1) * request.perPage
            _ = try await database.writer.read { db in
                try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT rowid FROM article_search WHERE article_search MATCH ?
                        ORDER BY bm25(article_search, 10.0, 4.0, 1.0) LIMIT ? OFFSET ?
                        """, arguments: [expression, request.perPage, offset])
            }
        }
    }

    public static func postgres(_ database: PostgresDatabase) -> BareSearch {
        BareSearch(description: "tsvector @@ tsquery + ts_rank_cd + ORDER BY + LIMIT") { request in
            let compiled = TSQuery(parsing: request.text, configuration: PostgresSearchSchema.configuration)
            guard let any = compiled.matchAny else { return }
            var binds = PostgresBindings()
            for parameter in compiled.parameters { binds.append(parameter) }
            let next = compiled.parameters.count + 1
            binds.append(Int64(request.perPage))
            binds.append(Int64((request.page - 1) * request.perPage))
            let sql = """
                SELECT number FROM article WHERE search_vector @@ (\(any))
                ORDER BY ts_rank_cd('\(PostgresSearchIndex.weights)', search_vector, (\(any)), 1) DESC
                LIMIT $\(next) OFFSET $\(next + 1)
                """
            _ = try await database.read { connection in
                try await connection.values(PostgresQuery(unsafeSQL: sql, binds: binds), as: Int64.self, logger: database.logger)
            }
        }
    }
}

/// A database that exists only for one run of a benchmark or an evaluation, then disappears.
public struct ScratchDatabase: Sendable {
    public let stores: Stores
    public let bare: BareSearch

    /// A temporary SQLite file, or, when `server` is a postgres:// URL, a new database on that server (dropped after).
    public static func with<T: Sendable>(
        server: DatabaseURL?, timeZone: TimeZone, _ body: (ScratchDatabase) async throws -> T
    ) async throws -> T {
        if case .postgres(let address) = server {
            let name = "caravan_scratch_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let url = try await PostgresServerAdministration.createDatabase(name, server: address)
            do {
                let result = try await PostgresDatabase.withDatabase(url: url) { database in
                    try await body(ScratchDatabase(stores: .postgres(database, timeZone: timeZone), bare: .postgres(database)))
                }
                try await PostgresServerAdministration.dropDatabase(name, server: address)
                return result
            } catch {
                try? await PostgresServerAdministration.dropDatabase(name, server: address)
                throw error
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-scratch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("scratch.sqlite").path)
        return try await body(ScratchDatabase(stores: .sqlite(database, timeZone: timeZone), bare: .fts5(database)))
    }
}

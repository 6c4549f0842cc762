import CaravanPostgres
import CaravanSQLite
import CaravanStorage
import Foundation

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

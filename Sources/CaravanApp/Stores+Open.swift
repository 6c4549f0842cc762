import CaravanPostgres
import CaravanSQLite
import CaravanStorage
import Foundation

extension Stores {
    /// Opens the database a URL names, brings its schema up to date, and runs `body` with its stores. A PostgreSQL
    /// connection pool runs for exactly as long as `body` does, so a server runs its whole life inside.
    /// A PostgreSQL `replica` serves the reader's pages and search whenever it has caught up with the primary.
    public static func with<T: Sendable>(
        _ url: DatabaseURL, replica: DatabaseURL? = nil, timeZone: TimeZone, _ body: (Stores) async throws -> T
    ) async throws -> T {
        var replicaAddress: String?
        switch replica {
        case nil: replicaAddress = nil
        case .postgres(let address)?: replicaAddress = address
        case .sqlite?: throw StorageError.unsupportedReplica
        }
        switch url {
        case .sqlite(let path):
            guard replicaAddress == nil else { throw StorageError.unsupportedReplica }
            return try await body(.sqlite(try SQLiteDatabase.open(path: path), timeZone: timeZone))
        case .postgres(let address):
            return try await PostgresDatabase.withDatabase(url: address, replicaURL: replicaAddress) { database in
                try await body(.postgres(database, timeZone: timeZone))
            }
        }
    }
}

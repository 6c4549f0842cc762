import CaravanPostgres
import CaravanSQLite
import CaravanStorage
import Foundation

/// What a copy did to one table.
public struct TableCopyReport: Sendable, Hashable, CustomStringConvertible {
    public let table: String
    public let copied: Int
    public let sourceCount: Int
    public let targetCount: Int
    public var verified: Bool { sourceCount == targetCount }

    public var description: String {
        "\(table): \(copied) copied, \(sourceCount) in the source, \(targetCount) in the target"
            + (verified ? "" : " — MISMATCH")
    }
}

/// Why a copy stopped.
public enum CopyError: Error, Sendable, CustomStringConvertible {
    case sameDatabase
    case countsDiffer([TableCopyReport])
    case failed(table: String, reason: String)

    public var description: String {
        switch self {
        case .sameDatabase: "--from and --to name the same database"
        case .countsDiffer(let reports):
            "the copy did not verify: "
                + reports.filter { !$0.verified }.map { "\($0.table) has \($0.sourceCount) rows in the source and \($0.targetCount) in the target" }
                .joined(separator: "; ")
                + " (the target may hold rows the source does not; copy into an empty database)"
        case .failed(let table, let reason): "copying \(table) failed: \(reason)"
        }
    }
}

/// Copies every table from one database to another, in batches, then checks that both hold the same number of rows.
/// Rows are upserted by key, so running it again finishes an interrupted copy and otherwise changes nothing.
public enum DatabaseCopy {
    static let batchSize = 500

    static func run(
        from source: any CopyEndpoint, to target: any CopyEndpoint, tables: [CopiedTable] = CopiedTable.all,
        progress: (TableCopyReport) -> Void = { _ in }
    ) async throws -> [TableCopyReport] {
        var reports: [TableCopyReport] = []
        for table in tables {
            let targetColumns = Set(try await target.columns(of: table.name))
            // Columns both sides have: a PostgreSQL-only search column is computed by the target itself.
            let columns = try await source.columns(of: table.name).filter(targetColumns.contains)
            var offset = 0
            var copied = 0
            do {
                while true {
                    let rows = try await source.rows(
                        of: table.name, columns: columns, orderedBy: table.key, offset: offset, limit: batchSize)
                    if rows.isEmpty { break }
                    try await target.upsert(into: table.name, columns: columns, key: table.key, rows: rows)
                    copied += rows.count
                    offset += rows.count
                    if rows.count < batchSize { break }
                }
            } catch let error as CopyError {
                throw error
            } catch {
                throw CopyError.failed(table: table.name, reason: "\(error)")
            }
            let report = TableCopyReport(
                table: table.name, copied: copied, sourceCount: try await source.count(of: table.name),
                targetCount: try await target.count(of: table.name))
            progress(report)
            reports.append(report)
        }
        try await target.finish(tables: tables)
        guard reports.allSatisfy(\.verified) else { throw CopyError.countsDiffer(reports) }
        return reports
    }
}

extension DatabaseCopy {
    /// Opens both databases (migrating each to the current schema first) and copies everything from one to the other.
    public static func copy(
        from source: DatabaseURL, to target: DatabaseURL, progress: @escaping @Sendable (TableCopyReport) -> Void = { _ in }
    ) async throws -> [TableCopyReport] {
        guard source != target else { throw CopyError.sameDatabase }
        return try await withEndpoint(source) { from in
            try await withEndpoint(target) { to in
                try await run(from: from, to: to, progress: progress)
            }
        }
    }

    private static func withEndpoint<T: Sendable>(_ url: DatabaseURL, _ body: (any CopyEndpoint) async throws -> T) async throws -> T {
        switch url {
        case .sqlite(let path):
            return try await body(SQLiteCopyEndpoint(database: try SQLiteDatabase.open(path: path), name: "SQLite \(path)"))
        case .postgres(let address):
            return try await PostgresDatabase.withDatabase(url: address) { database in
                try await body(PostgresCopyEndpoint(database: database))
            }
        }
    }
}

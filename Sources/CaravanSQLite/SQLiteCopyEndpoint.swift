import CaravanStorage
import Foundation
import GRDB

/// A copy's SQLite side. Table and column names come from Caravan's own list and schema, never from a person.
package struct SQLiteCopyEndpoint: CopyEndpoint {
    let database: SQLiteDatabase
    package let name: String

    package init(database: SQLiteDatabase, name: String) {
        self.database = database
        self.name = name
    }

    package func columns(of table: String) async throws -> [String] {
        try await database.writer.read { db in try db.columns(in: table).map(\.name) }
    }

    package func rows(of table: String, columns: [String], orderedBy key: [String], offset: Int, limit: Int) async throws -> [[CopiedValue]] {
        try await database.writer.read { db in
            let sql = "SELECT \(Self.list(columns)) FROM \(Self.quote(table)) ORDER BY \(Self.list(key)) LIMIT ? OFFSET ?"
            return try Row.fetchAll(db, sql: sql, arguments: [limit, offset]).map { row in
                (0..<columns.count).map { index in
                    switch row[index] as DatabaseValue {
                    case let value where value.isNull: .null
                    case let value:
                        switch value.storage {
                        case .int64(let number): .integer(number)
                        case .double(let number): .real(number)
                        case .string(let text): .text(text)
                        case .blob(let data): .blob([UInt8](data))
                        case .null: .null
                        }
                    }
                }
            }
        }
    }

    package func upsert(into table: String, columns: [String], key: [String], rows: [[CopiedValue]]) async throws {
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let updates = columns.filter { !key.contains($0) }.map { "\(Self.quote($0)) = excluded.\(Self.quote($0))" }
        let sql = "INSERT INTO \(Self.quote(table)) (\(Self.list(columns))) VALUES (\(marks)) ON CONFLICT (\(Self.list(key))) "
            + (updates.isEmpty ? "DO NOTHING" : "DO UPDATE SET " + updates.joined(separator: ", "))
        try await database.writer.write { db in
            let statement = try db.cachedStatement(sql: sql)
            for row in rows {
                let values: [(any DatabaseValueConvertible)?] = row.map { value in
                    switch value {
                    case .null: nil
                    case .integer(let number): number
                    case .real(let number): number
                    case .text(let text): text
                    case .blob(let bytes): Data(bytes)
                    }
                }
                try statement.execute(arguments: StatementArguments(values))
            }
        }
    }

    package func count(of table: String) async throws -> Int {
        try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(Self.quote(table))") ?? 0 }
    }

    package func finish(tables: [CopiedTable]) async throws {}
}

import CaravanStorage
import Foundation
import NIOCore
import PostgresNIO

/// A copy's PostgreSQL side. Table and column names come from Caravan's own list and the server's catalogue; every
/// value travels as a bound parameter, cast to the column's type by the server.
package struct PostgresCopyEndpoint: CopyEndpoint {
    let database: PostgresDatabase
    package var name: String { "PostgreSQL \(database.location)" }

    package init(database: PostgresDatabase) {
        self.database = database
    }

    private struct Column {
        package let name: String
        /// The catalogue's type name: int8, text, bytea …
        let type: String
    }

    private func catalogue(_ table: String) async throws -> [Column] {
        try await database.read { connection in
            try await connection.rows(
                """
                SELECT column_name, udt_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = \(table) AND is_generated = 'NEVER'
                ORDER BY ordinal_position
                """, logger: database.logger
            ).map { Column(name: try $0.get("column_name", as: String.self), type: try $0.get("udt_name", as: String.self)) }
        }
    }

    package func columns(of table: String) async throws -> [String] {
        try await catalogue(table).map(\.name)
    }

    package func rows(of table: String, columns: [String], orderedBy key: [String], offset: Int, limit: Int) async throws -> [[CopiedValue]] {
        let types = Dictionary(uniqueKeysWithValues: try await catalogue(table).map { ($0.name, $0.type) })
        // Integers and bytes come as they are; everything else as text, which both engines read back exactly.
        let select = columns.map { column -> String in
            switch types[column] {
            case "int2", "int4", "int8": "\(Self.quote(column))::int8"
            case "bytea": Self.quote(column)
            default: "\(Self.quote(column))::text"
            }
        }.joined(separator: ", ")
        var binds = PostgresBindings()
        binds.append(Int64(limit))
        binds.append(Int64(offset))
        let query = PostgresQuery(
            unsafeSQL: "SELECT \(select) FROM \(Self.quote(table)) ORDER BY \(Self.list(key)) LIMIT $1 OFFSET $2", binds: binds)
        return try await database.read { connection in
            try await connection.rows(query, logger: database.logger).map { row in
                try (0..<columns.count).map { index in
                    let cell = row[index]
                    guard cell.bytes != nil else { return CopiedValue.null }
                    switch cell.dataType {
                    case .int8: return .integer(try cell.decode(Int64.self))
                    case .bytea:
                        var buffer = try cell.decode(ByteBuffer.self)
                        return .blob(buffer.readBytes(length: buffer.readableBytes) ?? [])
                    default: return .text(try cell.decode(String.self))
                    }
                }
            }
        }
    }

    package func upsert(into table: String, columns: [String], key: [String], rows: [[CopiedValue]]) async throws {
        let types = Dictionary(uniqueKeysWithValues: try await catalogue(table).map { ($0.name, $0.type) })
        let updates = columns.filter { !key.contains($0) }.map { "\(Self.quote($0)) = EXCLUDED.\(Self.quote($0))" }
        let conflict = "ON CONFLICT (\(Self.list(key))) " + (updates.isEmpty ? "DO NOTHING" : "DO UPDATE SET " + updates.joined(separator: ", "))
        try await database.write { connection in
            for row in rows {
                var binds = PostgresBindings()
                var placeholders: [String] = []
                for (index, value) in row.enumerated() {
                    switch value {
                    case .null: binds.appendNull()
                    case .integer(let number): binds.append(number)
                    case .real(let number): binds.append(number)
                    case .text(let text): binds.append(text)
                    case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
                    }
                    let type = types[columns[index]] ?? "text"
                    placeholders.append("$\(index + 1)::\(Self.quote(type))")
                }
                let sql = "INSERT INTO \(Self.quote(table)) (\(Self.list(columns))) VALUES (\(placeholders.joined(separator: ", "))) \(conflict)"
                try await connection.execute(PostgresQuery(unsafeSQL: sql, binds: binds), logger: database.logger)
            }
        }
    }

    package func count(of table: String) async throws -> Int {
        let count = try await database.read { connection in
            try await connection.value(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(Self.quote(table))"), as: Int64.self, logger: database.logger)
        }
        return Int(count ?? 0)
    }

    package func finish(tables: [CopiedTable]) async throws {
        try await database.write { connection in
            for table in tables {
                guard let column = table.identity else { continue }
                // Rows came with their ids; the next one the site adds must not reuse them.
                let sql = """
                    SELECT setval(pg_get_serial_sequence('\(table.name)', '\(column)'),
                        GREATEST((SELECT COALESCE(max(\(Self.quote(column))), 0) FROM \(Self.quote(table.name))), 1))
                    """
                try await connection.execute(PostgresQuery(unsafeSQL: sql), logger: database.logger)
            }
        }
    }
}

import CaravanCore
import CaravanStorage
import Foundation
import Logging
import PostgresNIO

/// The media library on PostgreSQL: photographs and their files' bytes in the database, so every instance on it
/// serves the same files with no disk of its own.
public struct PostgresMediaStore: MediaStore {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    private var logger: Logger { database.logger }

    public func add(_ upload: MediaUpload) async throws -> MediaAddition {
        try await database.write(refusing: MediaStoreError.self) { connection in
            if let known = try await items(connection, "WHERE file = \(upload.file)").first { return .alreadyThere(known) }
            try await connection.execute(
                """
                INSERT INTO media (id, file, alt, caption, credit, width, height, uploaded_at)
                VALUES (\(upload.id), \(upload.file), \(upload.alt), \(upload.caption), \(upload.credit), \(upload.width),
                        \(upload.height), \(Int64(upload.uploaded.timeIntervalSince1970)))
                """, logger: logger)
            try await insertFiles(connection, upload)
            guard let item = try await items(connection, "WHERE id = \(upload.id)").first else {
                throw MediaStoreError.notFound(id: upload.id)
            }
            return .added(item)
        }
    }

    public func item(id: String) async throws -> MediaItem? {
        try await database.read { connection in try await items(connection, "WHERE id = \(id)").first }
    }

    public func items(ids: [String]) async throws -> [MediaItem] {
        guard !ids.isEmpty else { return [] }
        return try await database.read { connection in try await items(connection, "WHERE id = ANY(\(ids)) ORDER BY id") }
    }

    public func items(files: [String]) async throws -> [MediaItem] {
        guard !files.isEmpty else { return [] }
        return try await database.read { connection in try await items(connection, "WHERE file = ANY(\(files)) ORDER BY id") }
    }

    public func library(words: String, page: Int, perPage: Int) async throws -> (items: [MediaItem], total: Int) {
        let terms = words.split(whereSeparator: \.isWhitespace).prefix(8).map { "%" + LikePattern.escaped(String($0)) + "%" }
        let perPage = max(1, perPage)
        let offset = max(0, page - 1) * perPage
        return try await database.read { connection in
            // Every word in any of the three fields; ILIKE folds case as SQLite's LIKE does for ASCII.
            var condition = SQLBuilder("WHERE true")
            for term in terms {
                condition.append(" AND (alt ILIKE ", binding: term, "")
                let placeholder = "$\(condition.binds.count)"
                condition.append(" OR caption ILIKE \(placeholder) OR credit ILIKE \(placeholder))")
            }
            let total = try await connection.value(condition.prefixed("SELECT count(*) FROM media ").query, as: Int.self, logger: logger) ?? 0
            var page = condition
            page.append(" ORDER BY uploaded_at DESC, id DESC LIMIT \(perPage) OFFSET \(offset)")
            return (try await items(connection, page.query), total)
        }
    }

    public func file(_ file: String, name: String) async throws -> MediaFile? {
        try await database.read { connection in
            guard
                let row = try await connection.rows(
                    "SELECT name, format, width, height, bytes FROM media_file WHERE file = \(file) AND name = \(name)",
                    logger: logger
                ).first,
                let format = MediaFormat(rawValue: try row.get("format"))
            else { return nil }
            var bytes: ByteBuffer = try row.get("bytes")
            return MediaFile(
                name: try row.get("name"), format: format, width: Int(try row.get("width", as: Int64.self)),
                height: Int(try row.get("height", as: Int64.self)), bytes: bytes.readBytes(length: bytes.readableBytes) ?? [])
        }
    }

    public func describe(id: String, alt: String, caption: String, credit: String) async throws -> MediaItem {
        try await database.write(refusing: MediaStoreError.self) { connection in
            try await connection.execute(
                "UPDATE media SET alt = \(alt), caption = \(caption), credit = \(credit) WHERE id = \(id)", logger: logger)
            guard let item = try await items(connection, "WHERE id = \(id)").first else { throw MediaStoreError.notFound(id: id) }
            return item
        }
    }

    public func uses(id: String) async throws -> [MediaUse] {
        try await database.read { connection in try await uses(connection, id: id) }
    }

    public func replace(id: String, with upload: MediaUpload) async throws -> MediaItem {
        try await database.write(refusing: MediaStoreError.self) { connection in
            guard let old = try await items(connection, "WHERE id = \(id)").first else { throw MediaStoreError.notFound(id: id) }
            let uses = try await uses(connection, id: id)
            guard uses.isEmpty else { throw MediaStoreError.inUse(id: id, by: uses) }
            if let other = try await items(connection, "WHERE file = \(upload.file)").first {
                if other.id == id { return other }
                throw MediaStoreError.duplicate(of: other.id)
            }
            try await connection.execute("DELETE FROM media_file WHERE file = \(old.file)", logger: logger)
            try await connection.execute(
                """
                UPDATE media SET file = \(upload.file), width = \(upload.width), height = \(upload.height),
                    uploaded_at = \(Int64(upload.uploaded.timeIntervalSince1970)) WHERE id = \(id)
                """, logger: logger)
            try await insertFiles(connection, upload)
            guard let item = try await items(connection, "WHERE id = \(id)").first else { throw MediaStoreError.notFound(id: id) }
            return item
        }
    }

    public func delete(id: String) async throws {
        try await database.write(refusing: MediaStoreError.self) { connection in
            guard let old = try await items(connection, "WHERE id = \(id)").first else { throw MediaStoreError.notFound(id: id) }
            let uses = try await uses(connection, id: id)
            guard uses.isEmpty else { throw MediaStoreError.inUse(id: id, by: uses) }
            try await connection.execute("DELETE FROM media_file WHERE file = \(old.file)", logger: logger)
            try await connection.execute("DELETE FROM media WHERE id = \(id)", logger: logger)
        }
    }

    private func insertFiles(_ connection: PostgresConnection, _ upload: MediaUpload) async throws {
        for file in upload.files {
            try await connection.execute(
                """
                INSERT INTO media_file (file, name, format, width, height, length, bytes)
                VALUES (\(upload.file), \(file.name), \(file.format.rawValue), \(file.width), \(file.height), \(file.bytes.count),
                        \(ByteBuffer(bytes: file.bytes)))
                """, logger: logger)
        }
    }

    private func uses(_ connection: PostgresConnection, id: String) async throws -> [MediaUse] {
        guard let file = try await connection.value("SELECT file FROM media WHERE id = \(id)", as: String.self, logger: logger)
        else { return [] }
        let pattern = Self.bodyPattern(file: file)
        return try await connection.rows(
            "SELECT slug, title FROM article WHERE image_media = \(id) OR body LIKE \(pattern) ORDER BY updated_at DESC, number DESC",
            logger: logger
        ).map { MediaUse(slug: try $0.get("slug"), title: try $0.get("title")) }
    }

    private func items(_ connection: PostgresConnection, _ condition: PostgresQuery) async throws -> [MediaItem] {
        var query = PostgresQuery(
            unsafeSQL: "SELECT id, file, alt, caption, credit, width, height, uploaded_at FROM media ", binds: condition.binds)
        query.sql += condition.sql
        let rows = try await connection.rows(query, logger: logger)
        guard !rows.isEmpty else { return [] }
        let files: [String] = try rows.map { try $0.get("file") }
        var variants: [String: [MediaVariant]] = [:]
        for row in try await connection.rows(
            "SELECT file, name, format, width, height, length FROM media_file WHERE file = ANY(\(files))", logger: logger)
        {
            guard let format = MediaFormat(rawValue: try row.get("format")) else { continue }
            variants[try row.get("file"), default: []].append(
                MediaVariant(
                    name: try row.get("name"), format: format, width: Int(try row.get("width", as: Int64.self)),
                    height: Int(try row.get("height", as: Int64.self)), length: Int(try row.get("length", as: Int64.self))))
        }
        return try rows.map { row in
            let file: String = try row.get("file")
            return MediaItem(
                id: try row.get("id"), file: file, alt: try row.get("alt"), caption: try row.get("caption"),
                credit: try row.get("credit"), width: Int(try row.get("width", as: Int64.self)),
                height: Int(try row.get("height", as: Int64.self)),
                uploaded: Date(timeIntervalSince1970: TimeInterval(try row.get("uploaded_at", as: Int64.self))),
                variants: (variants[file] ?? []).sorted { ($0.width, $0.name) < ($1.width, $1.name) })
        }
    }
}

import CaravanCore
import CaravanStorage
import Foundation
import GRDB

/// The media library on SQLite: photographs and their files' bytes in the database file itself.
public struct SQLiteMediaStore: MediaStore {
    let database: SQLiteDatabase

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func add(_ upload: MediaUpload) async throws -> MediaAddition {
        try await database.writer.write { db in
            if let known = try Self.item(db, where: "file = ?", [upload.file]) { return .alreadyThere(known) }
            try db.execute(
                sql: """
                    INSERT INTO media (id, file, alt, caption, credit, width, height, uploaded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    upload.id, upload.file, upload.alt, upload.caption, upload.credit, upload.width, upload.height,
                    Int64(upload.uploaded.timeIntervalSince1970),
                ])
            try Self.insertFiles(db, upload)
            guard let item = try Self.item(db, where: "id = ?", [upload.id]) else { throw MediaStoreError.notFound(id: upload.id) }
            return .added(item)
        }
    }

    public func item(id: String) async throws -> MediaItem? {
        try await database.writer.read { db in try Self.item(db, where: "id = ?", [id]) }
    }

    public func items(ids: [String]) async throws -> [MediaItem] {
        guard !ids.isEmpty else { return [] }
        return try await database.writer.read { db in
            try Self.items(db, where: "id IN (\(databaseQuestionMarks(count: ids.count)))", StatementArguments(ids), order: "id")
        }
    }

    public func items(files: [String]) async throws -> [MediaItem] {
        guard !files.isEmpty else { return [] }
        return try await database.writer.read { db in
            try Self.items(
                db, where: "file IN (\(databaseQuestionMarks(count: files.count)))", StatementArguments(files), order: "id")
        }
    }

    public func library(words: String, page: Int, perPage: Int) async throws -> (items: [MediaItem], total: Int) {
        let terms = words.split(whereSeparator: \.isWhitespace).prefix(8).map { "%" + LikePattern.escaped(String($0)) + "%" }
        let condition =
            terms.isEmpty
            ? "1" : terms.map { _ in "(alt LIKE ? ESCAPE '\\' OR caption LIKE ? ESCAPE '\\' OR credit LIKE ? ESCAPE '\\')" }.joined(separator: " AND ")
        let arguments = StatementArguments(terms.flatMap { [$0, $0, $0] })
        return try await database.writer.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM media WHERE \(condition)", arguments: arguments) ?? 0
            let items = try Self.items(
                db, where: condition, arguments, order: "uploaded_at DESC, id DESC",
                limit: "LIMIT \(max(1, perPage)) OFFSET \(max(0, page - 1) * max(1, perPage))")
            return (items, total)
        }
    }

    public func file(_ file: String, name: String) async throws -> MediaFile? {
        try await database.writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT name, format, width, height, bytes FROM media_file WHERE file = ? AND name = ?",
                arguments: [file, name]
            ).flatMap { row in
                guard let format = MediaFormat(rawValue: row["format"]) else { return nil }
                let data: Data = row["bytes"]
                return MediaFile(name: row["name"], format: format, width: row["width"], height: row["height"], bytes: [UInt8](data))
            }
        }
    }

    public func describe(id: String, alt: String, caption: String, credit: String) async throws -> MediaItem {
        try await database.writer.write { db in
            try db.execute(
                sql: "UPDATE media SET alt = ?, caption = ?, credit = ? WHERE id = ?", arguments: [alt, caption, credit, id])
            guard let item = try Self.item(db, where: "id = ?", [id]) else { throw MediaStoreError.notFound(id: id) }
            return item
        }
    }

    public func uses(id: String) async throws -> [MediaUse] {
        try await database.writer.read { db in try Self.uses(db, id: id) }
    }

    public func replace(id: String, with upload: MediaUpload) async throws -> MediaItem {
        try await database.writer.write { db in
            guard let old = try Self.item(db, where: "id = ?", [id]) else { throw MediaStoreError.notFound(id: id) }
            let uses = try Self.uses(db, id: id)
            guard uses.isEmpty else { throw MediaStoreError.inUse(id: id, by: uses) }
            if let other = try Self.item(db, where: "file = ?", [upload.file]) {
                if other.id == id { return other }
                throw MediaStoreError.duplicate(of: other.id)
            }
            try db.execute(sql: "DELETE FROM media_file WHERE file = ?", arguments: [old.file])
            try db.execute(
                sql: "UPDATE media SET file = ?, width = ?, height = ?, uploaded_at = ? WHERE id = ?",
                arguments: [upload.file, upload.width, upload.height, Int64(upload.uploaded.timeIntervalSince1970), id])
            try Self.insertFiles(db, upload)
            guard let item = try Self.item(db, where: "id = ?", [id]) else { throw MediaStoreError.notFound(id: id) }
            return item
        }
    }

    public func delete(id: String) async throws {
        try await database.writer.write { db in
            guard let old = try Self.item(db, where: "id = ?", [id]) else { throw MediaStoreError.notFound(id: id) }
            let uses = try Self.uses(db, id: id)
            guard uses.isEmpty else { throw MediaStoreError.inUse(id: id, by: uses) }
            try db.execute(sql: "DELETE FROM media_file WHERE file = ?", arguments: [old.file])
            try db.execute(sql: "DELETE FROM media WHERE id = ?", arguments: [id])
        }
    }

    private static func insertFiles(_ db: Database, _ upload: MediaUpload) throws {
        let insert = try db.cachedStatement(
            sql: "INSERT INTO media_file (file, name, format, width, height, length, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)")
        for file in upload.files {
            try insert.execute(arguments: [
                upload.file, file.name, file.format.rawValue, file.width, file.height, file.bytes.count, Data(file.bytes),
            ])
        }
    }

    private static func uses(_ db: Database, id: String) throws -> [MediaUse] {
        guard let file = try String.fetchOne(db, sql: "SELECT file FROM media WHERE id = ?", arguments: [id]) else { return [] }
        return try Row.fetchAll(
            db,
            sql: "SELECT slug, title FROM article WHERE image_media = ? OR body LIKE ? ORDER BY updated_at DESC, number DESC",
            arguments: [id, Self.bodyPattern(file: file)]
        ).map { MediaUse(slug: $0["slug"], title: $0["title"]) }
    }

    private static func item(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> MediaItem? {
        try items(db, where: condition, arguments, order: "id", limit: "LIMIT 1").first
    }

    private static func items(
        _ db: Database, where condition: String, _ arguments: StatementArguments, order: String, limit: String = ""
    ) throws -> [MediaItem] {
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT id, file, alt, caption, credit, width, height, uploaded_at FROM media WHERE \(condition) ORDER BY \(order) \(limit)",
            arguments: arguments)
        guard !rows.isEmpty else { return [] }
        let files: [String] = rows.map { $0["file"] }
        var variants: [String: [MediaVariant]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: "SELECT file, name, format, width, height, length FROM media_file WHERE file IN (\(databaseQuestionMarks(count: files.count)))",
            arguments: StatementArguments(files))
        {
            guard let format = MediaFormat(rawValue: row["format"]) else { continue }
            variants[row["file"], default: []].append(
                MediaVariant(name: row["name"], format: format, width: row["width"], height: row["height"], length: row["length"]))
        }
        return rows.map { row in
            let file: String = row["file"]
            return MediaItem(
                id: row["id"], file: file, alt: row["alt"], caption: row["caption"], credit: row["credit"], width: row["width"],
                height: row["height"], uploaded: Date(timeIntervalSince1970: TimeInterval(row["uploaded_at"] as Int64)),
                variants: (variants[file] ?? []).sorted { ($0.width, $0.name) < ($1.width, $1.name) })
        }
    }
}

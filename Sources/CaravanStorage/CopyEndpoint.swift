import Foundation

/// A cell of a copied row, in the kinds of value both engines store.
package enum CopiedValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// One side of `caravan copy`, which each engine provides: a database that can list a table's columns, read its rows in key order, and upsert rows.
package protocol CopyEndpoint: Sendable {
    /// "SQLite caravan.sqlite" or "PostgreSQL host:port/db", for messages.
    var name: String { get }
    /// The table's writable columns in table order (generated columns left out).
    func columns(of table: String) async throws -> [String]
    func rows(of table: String, columns: [String], orderedBy key: [String], offset: Int, limit: Int) async throws -> [[CopiedValue]]
    /// Inserts the rows, replacing any row with the same key: a second copy changes nothing.
    func upsert(into table: String, columns: [String], key: [String], rows: [[CopiedValue]]) async throws
    func count(of table: String) async throws -> Int
    /// Called once every table is copied (PostgreSQL moves its id counters past the copied ids).
    func finish(tables: [CopiedTable]) async throws
}

extension CopyEndpoint {
    /// A table or column name as both engines' SQL quotes it; the names come from Caravan's own list and schema.
    package static func quote(_ name: String) -> String { "\"\(name.replacingOccurrences(of: "\"", with: "\"\""))\"" }
    package static func list(_ names: [String]) -> String { names.map(quote).joined(separator: ", ") }
}

/// A table that moves house, with the key that identifies its rows.
public struct CopiedTable: Sendable, Hashable {
    public let name: String
    public let key: [String]
    /// The column that takes the next id when a row is added without one.
    public let identity: String?

    /// Every table Caravan keeps, parents before children. Failed sign-ins are left behind: they only matter for minutes.
    public static let all: [CopiedTable] = [
        CopiedTable(name: "country", key: ["code"], identity: nil),
        CopiedTable(name: "section", key: ["id"], identity: "id"),
        CopiedTable(name: "tag", key: ["id"], identity: "id"),
        CopiedTable(name: "author", key: ["id"], identity: "id"),
        CopiedTable(name: "account", key: ["id"], identity: "id"),
        CopiedTable(name: "media", key: ["id"], identity: nil),
        CopiedTable(name: "media_file", key: ["file", "name"], identity: nil),
        CopiedTable(name: "article", key: ["number"], identity: "number"),
        CopiedTable(name: "article_country", key: ["country_code", "article_number"], identity: nil),
        CopiedTable(name: "article_tag", key: ["tag_id", "article_number"], identity: nil),
        CopiedTable(name: "rate", key: ["currency", "effective_date", "source", "cross_via"], identity: nil),
        CopiedTable(name: "revision", key: ["article_number", "number"], identity: nil),
        CopiedTable(name: "slug_redirect", key: ["old_slug"], identity: nil),
        CopiedTable(name: "redirect", key: ["from_path"], identity: nil),
        CopiedTable(name: "invitation", key: ["token"], identity: nil),
        CopiedTable(name: "session", key: ["key"], identity: nil),
    ]
}

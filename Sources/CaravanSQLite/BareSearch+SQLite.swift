import CaravanSearch
import CaravanStorage
import GRDB

extension BareSearch {
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
}

import CaravanCore
import CaravanSearch
import Foundation
import GRDB

/// Search on SQLite's FTS5: BM25 with the title weighted above the body, complete matches first.
public struct FTS5SearchIndex: SearchIndex {
    let database: SQLiteDatabase
    /// The newsroom's time zone, for the year facets.
    let timeZone: TimeZone

    /// BM25 column weights: title, standfirst, body. A word in the headline says far more than one in paragraph nine.
    static let weights = (title: 10.0, standfirst: 4.0, body: 1.0)
    /// Below this many results a spelling suggestion is offered.
    static let suggestBelow = 3

    public init(database: SQLiteDatabase, timeZone: TimeZone) {
        self.database = database
        self.timeZone = timeZone
    }

    public func search(_ request: SearchRequest) async throws -> SearchResults {
        let query = ParsedQuery.parse(request.text)
        let compiled = FTS5Query(query)
        guard let any = compiled.matchAny, let all = compiled.matchAll else {
            return .empty(query, reason: compiled.emptyReason, page: request.page, perPage: request.perPage)
        }
        let offsetSeconds = timeZone.secondsFromGMT()
        return try await database.writer.read { db in
            let filter = Self.filter(request)
            // CROSS JOIN pins the full-text match as the outer loop; left to itself the planner walks every
            // published story and runs the match once per story (a hundred times slower).
            let matched = "article_search CROSS JOIN article a INDEXED BY article_search_facts ON a.number = article_search.rowid WHERE article_search MATCH ? AND \(filter.sql)"
            // The total, the facets and the page all come from the same read transaction: they cannot disagree.
            var years: [Int: Int] = [:]
            var total = 0
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT CAST(strftime('%Y', a.published_at + ?, 'unixepoch') AS INTEGER) AS year, count(*) AS n
                    FROM \(matched) GROUP BY year
                    """, arguments: [offsetSeconds, any] + filter.arguments)
            {
                let count: Int = row["n"]
                total += count
                if let year: Int = row["year"] { years[year] = count }
            }
            let range = ResultRange(total: total, page: request.page, perPage: request.perPage)
            var hits: [SearchHit] = []
            if total > 0 && !range.isPastEnd {
                hits = try Self.page(db, any: any, all: all, matched: matched, filter: filter, request: request, range: range)
            }
            var countries: [Country: Int] = [:]
            if total > 0 {
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.country_code AS code, count(*) AS n
                        FROM article_search CROSS JOIN article a INDEXED BY article_search_facts ON a.number = article_search.rowid
                        CROSS JOIN article_country c ON c.article_number = a.number
                        WHERE article_search MATCH ? AND \(filter.sql) GROUP BY c.country_code
                        """, arguments: [any] + filter.arguments)
                {
                    if let country = Country(code: row["code"]) { countries[country] = row["n"] }
                }
            }
            let suggestion = total < Self.suggestBelow ? try Self.suggestion(for: query, db: db) : nil
            return SearchResults(
                query: query, range: range, hits: hits, countryFacets: countries, yearFacets: years,
                suggestion: suggestion, emptyReason: nil)
        }
    }

    private static func page(
        _ db: Database, any: String, all: String, matched: String, filter: (sql: String, arguments: StatementArguments),
        request: SearchRequest, range: ResultRange
    ) throws -> [SearchHit] {
        // One-clause queries match all-or-nothing, so the second MATCH would only repeat the first.
        let completeColumn = any == all
            ? "1" : "(article_search.rowid IN (SELECT rowid FROM article_search WHERE article_search MATCH ?))"
        let order = request.sort == .newest
            ? "a.published_at DESC, a.number DESC"
            : "complete DESC, score ASC, a.published_at DESC"
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT article_search.rowid AS number, \(completeColumn) AS complete,
                    bm25(article_search, \(weights.title), \(weights.standfirst), \(weights.body)) AS score
                FROM \(matched)
                ORDER BY \(order) LIMIT ? OFFSET ?
                """,
            arguments: (any == all ? [] : [all]) + [any] + filter.arguments + [range.perPage, range.offset])
        let numbers: [Int64] = rows.map { $0["number"] }
        let complete = Dictionary(uniqueKeysWithValues: rows.map { ($0["number"] as Int64, ($0["complete"] as Int) == 1) })
        let teasers = try SQLiteArticleStore.teasers(numbers, db: db)
        var marked: [Int64: (title: String, snippet: String)] = [:]
        let open = Highlight.openMarker, close = Highlight.closeMarker, ellipsis = Highlight.ellipsis
        // One lookup per story on screen: FTS5 seeks straight to the rowid instead of re-running the whole match.
        let markStatement = try db.cachedStatement(
            sql: """
                SELECT highlight(article_search, 0, ?, ?) AS title,
                    snippet(article_search, 2, ?, ?, ?, 30) AS body, snippet(article_search, 1, ?, ?, ?, 30) AS standfirst
                FROM article_search WHERE article_search MATCH ? AND rowid = ?
                """)
        for number in request.highlights ? numbers : [] {
            guard let row = try Row.fetchOne(
                markStatement, arguments: [open, close, open, close, ellipsis, open, close, ellipsis, any, number])
            else { continue }
            let body: String = row["body"] ?? ""
            let standfirst: String = row["standfirst"] ?? ""
            // Prefer the passage that shows a match; a story whose words are only in the standfirst shows that.
            let snippet = body.contains(open) || standfirst.isEmpty ? body : standfirst
            marked[number] = (row["title"] ?? "", snippet)
        }
        return zip(numbers, teasers).map { number, teaser in
            let (title, snippet) = marked[number] ?? (teaser.title, teaser.excerpt)
            return SearchHit(
                teaser: teaser, titleHTML: Highlight.markedHTML(title),
                snippetHTML: Highlight.markedHTML(snippet.isEmpty ? teaser.excerpt : snippet),
                matchedAll: complete[number] ?? false)
        }
    }

    /// The filters as SQL over the article table `a`, with their arguments.
    static func filter(_ request: SearchRequest) -> (sql: String, arguments: StatementArguments) {
        var clauses = ["a.status = 'published'"]
        var arguments: StatementArguments = []
        if let country = request.country {
            clauses.append("EXISTS (SELECT 1 FROM article_country c WHERE c.article_number = a.number AND c.country_code = ?)")
            arguments += [country.code]
        }
        if let section = request.section {
            clauses.append("a.section_id = (SELECT id FROM section WHERE slug = ?)")
            arguments += [section]
        }
        if let language = request.language {
            clauses.append("a.language = ?")
            arguments += [language.rawValue]
        }
        if let from = request.from {
            clauses.append("a.published_at >= ?")
            arguments += [Int64(from.timeIntervalSince1970)]
        }
        if let to = request.to {
            clauses.append("a.published_at <= ?")
            arguments += [Int64(to.timeIntervalSince1970)]
        }
        return (clauses.joined(separator: " AND "), arguments)
    }

    /// "Did you mean": each word that the index does not hold is replaced by its nearest word that it does.
    static func suggestion(for query: ParsedQuery, db: Database) throws -> String? {
        var candidates: [(term: String, documentFrequency: Int)] = []
        for word in query.suggestableWords {
            guard let window = DidYouMean.window(for: word) else { continue }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT term, doc FROM article_words_vocab
                    WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?
                    """,
                arguments: [window.lowerBound, window.upperBound, window.lengths.lowerBound, window.lengths.upperBound])
            candidates += rows.map { ($0["term"], $0["doc"]) }
        }
        guard !candidates.isEmpty else { return nil }
        return DidYouMean.suggestion(for: query, candidates: candidates)
    }
}

import CaravanCore
import CaravanSearch
import Foundation
import GRDB

/// Search on SQLite's FTS5: BM25 with the title weighted above the body, complete matches first.
public struct FTS5SearchIndex: SearchIndex {
    let database: SQLiteDatabase
    /// The newsroom's time zone, for the year facets.
    let timeZone: TimeZone
    /// Shared by every copy of this index: the stories' facts at the latest content version.
    let facts = SearchFactsCache()

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
        return try await database.writer.read { [facts] db in
            let known = try facts.facts(db)
            let filter = try SearchFilter(request, db: db)
            // One pass over the matches gives the total, both facets and the order; the page is cut from it.
            // (Three passes, one per figure, cost three times the bare full-text query.)
            var facets = Facets(offsetSeconds: Int64(offsetSeconds))
            let matches = try Self.matches(db, any: any, all: all, facts: known, filter: filter, facets: &facets)
            let (countries, years) = (facets.countries, facets.years)
            let range = ResultRange(total: matches.count, page: request.page, perPage: request.perPage)
            var hits: [SearchHit] = []
            if !matches.isEmpty && !range.isPastEnd {
                let ordered = Self.ordered(matches, sort: request.sort, through: range.offset + range.perPage)
                let page = ordered.dropFirst(range.offset).prefix(range.perPage)
                hits = try Self.hits(
                    db, numbers: page.map(\.number), complete: Set(page.filter(\.complete).map(\.number)), any: any,
                    request: request)
            }
            let suggestion = matches.count < Self.suggestBelow ? try Self.suggestion(for: query, db: db) : nil
            return SearchResults(
                query: query, range: range, hits: hits, countryFacets: countries, yearFacets: years,
                suggestion: suggestion, emptyReason: nil)
        }
    }

    /// What the ranking needs of one matching story; kept small, because the page is chosen from all of them.
    struct Match {
        let number: Int64
        let complete: Bool
        let score: Double
        let published: Int64?
    }

    /// Counts by country and by year in the newsroom's time zone, over every match.
    struct Facets {
        let offsetSeconds: Int64
        var countries: [Country: Int] = [:]
        var years: [Int: Int] = [:]

        mutating func count(_ story: SearchFacts.Story) {
            if let published = story.published {
                years[FTS5SearchIndex.year(ofSeconds: published + offsetSeconds), default: 0] += 1
            }
            for country in story.countries { countries[country, default: 0] += 1 }
        }
    }

    static func matches(
        _ db: Database, any: String, all: String, facts: SearchFacts, filter: SearchFilter, facets: inout Facets
    ) throws -> [Match] {
        // One-clause queries match all-or-nothing, so a second MATCH would only repeat the first.
        var complete: Set<Int64>? = nil
        if any != all {
            let statement = try db.cachedStatement(sql: "SELECT rowid FROM article_search WHERE article_search MATCH ?")
            complete = Set(try Int64.fetchAll(statement, arguments: [all]))
        }
        // The bare match and rank; filters and facets come from the facts in memory, not from a join per match.
        let statement = try db.cachedStatement(
            sql: """
                SELECT rowid, bm25(article_search, \(weights.title), \(weights.standfirst), \(weights.body))
                FROM article_search WHERE article_search MATCH ?
                """)
        let cursor = try Row.fetchCursor(statement, arguments: [any])
        var matches: [Match] = []
        while let row = try cursor.next() {
            let number: Int64 = row[0]
            // Only published stories are indexed; a story missing from the facts is not one this snapshot shows.
            guard let story = facts.stories[number], filter.admits(story) else { continue }
            facets.count(story)
            matches.append(
                Match(
                    number: number, complete: complete?.contains(number) ?? true, score: row[1],
                    published: story.published))
        }
        return matches
    }

    /// The matches in page order, sorted only as far as `count` needs.
    static func ordered(_ matches: [Match], sort: SearchSort, through count: Int) -> [Match] {
        let newestFirst: (Match, Match) -> Bool = { left, right in
            if left.published != right.published { return (left.published ?? .min) > (right.published ?? .min) }
            return left.number > right.number
        }
        // Far down the list a whole sort is cheaper than inserting into a long kept list.
        let sortAll = count > 200
        switch sort {
        case .newest:
            return sortAll ? matches.sorted(by: newestFirst) : matches.leading(count, by: newestFirst)
        case .relevance:
            // Stories with every clause first, then BM25 (lower is better in SQLite), then the newer story.
            let byRelevance: (Match, Match) -> Bool = { left, right in
                if left.complete != right.complete { return left.complete }
                if left.score != right.score { return left.score < right.score }
                return newestFirst(left, right)
            }
            return sortAll ? matches.sorted(by: byRelevance) : matches.leading(count, by: byRelevance)
        }
    }

    /// The calendar year of a moment given as seconds since 1970 in the newsroom's time (days to civil date).
    static func year(ofSeconds seconds: Int64) -> Int {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))
    }

    private static func hits(
        _ db: Database, numbers: [Int64], complete: Set<Int64>, any: String, request: SearchRequest
    ) throws -> [SearchHit] {
        let teasers = try SQLiteArticleStore.teasers(numbers, db: db)
        var marked: [Int64: (title: String, snippet: String)] = [:]
        let open = Highlight.openMarker
        let close = Highlight.closeMarker
        let ellipsis = Highlight.ellipsis
        // One lookup per story on screen: FTS5 seeks straight to the rowid instead of re-running the whole match.
        // Highlighting tokenises the text again, so the standfirst is only read when the body shows no match.
        let markStatement = try db.cachedStatement(
            sql: """
                SELECT highlight(article_search, 0, ?, ?), snippet(article_search, 2, ?, ?, ?, 30), length(standfirst)
                FROM article_search WHERE article_search MATCH ? AND rowid = ?
                """)
        let standfirstStatement = try db.cachedStatement(
            sql:
                "SELECT snippet(article_search, 1, ?, ?, ?, 30) FROM article_search WHERE article_search MATCH ? AND rowid = ?"
        )
        for number in request.highlights ? numbers : [] {
            guard
                let row = try Row.fetchOne(markStatement, arguments: [open, close, open, close, ellipsis, any, number])
            else { continue }
            let title: String = row[0] ?? ""
            var snippet: String = row[1] ?? ""
            if !snippet.contains(open), (row[2] as Int? ?? 0) > 0,
                let standfirst = try String.fetchOne(
                    standfirstStatement, arguments: [open, close, ellipsis, any, number]),
                standfirst.contains(open)
            {
                snippet = standfirst
            }
            marked[number] = (title, snippet)
        }
        return zip(numbers, teasers).map { number, teaser in
            let (title, snippet) = marked[number] ?? (teaser.title, teaser.excerpt)
            return SearchHit(
                teaser: teaser, titleHTML: Highlight.markedHTML(title),
                snippetHTML: Highlight.markedHTML(snippet.isEmpty ? teaser.excerpt : snippet),
                matchedAll: complete.contains(number))
        }
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

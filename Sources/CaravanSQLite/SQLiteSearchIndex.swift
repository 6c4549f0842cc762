import CaravanCore
import CaravanSearch
import CaravanStorage
import Foundation
import GRDB

/// Search on SQLite's FTS5: BM25 with the title weighted above the body, complete matches first.
///
/// The matching and ranking run on the archive index in memory (`ArchiveIndex`), which scores exactly as FTS5 does;
/// FTS5 answers whenever that index is not level with the database yet, and always with `.fts5`, the reference the
/// tests compare the archive index with. Passages and highlighted titles come from FTS5 either way.
public struct SQLiteSearchIndex: SearchIndex {
    /// What finds and ranks the matches.
    public enum Engine: Sendable {
        case archiveIndex, fts5
    }

    let database: SQLiteDatabase
    /// The newsroom's time zone, for the year facets.
    let timeZone: TimeZone
    let engine: Engine
    /// Shared by every copy of this index: the stories' facts at the latest content version.
    let facts = SearchFactsCache()
    /// Shared by every copy of this index: the archive in memory.
    let archive = ArchiveIndexCache()

    /// BM25 column weights: title, standfirst, body, the site ranking's. FTS5, the fallback, ranks by plain BM25 with
    /// them, stories holding every word first; the archive index adds the rest of `ArchiveIndex.Ranking.site`.
    static let weights = (
        title: ArchiveIndex.Ranking.site.weights[0], standfirst: ArchiveIndex.Ranking.site.weights[1],
        body: ArchiveIndex.Ranking.site.weights[2]
    )
    /// Below this many results a spelling suggestion is offered.
    static let suggestBelow = 3

    public init(database: SQLiteDatabase, timeZone: TimeZone, engine: Engine = .archiveIndex) {
        self.database = database
        self.timeZone = timeZone
        self.engine = engine
    }

    /// Builds the archive index now, so that the first searches need not fall back to FTS5 (start-up, benchmarks);
    /// waits for the rebuild a search has already started instead of building a second one.
    public func prepare() async throws {
        guard engine == .archiveIndex else { return }
        try await archive.rebuilds.runOrAwait { try await Self.rebuild(archive, in: database) }
    }

    private static func rebuild(_ archive: ArchiveIndexCache, in database: SQLiteDatabase) async throws {
        try await database.writer.read { db in try archive.rebuild(db) }
    }

    public func search(_ request: SearchRequest) async throws -> SearchResults {
        let query = ParsedQuery.parse(request.text)
        let compiled = FTS5Query(query)
        guard compiled.matchAny != nil, compiled.matchAll != nil else {
            return .empty(query, reason: compiled.emptyReason, page: request.page, perPage: request.perPage)
        }
        let offsetSeconds = timeZone.secondsFromGMT()
        return try await database.writer.read { [facts, archive, database, engine] db in
            let known = try facts.facts(db)
            let filter = try SearchFilter(request, db: db)
            // One pass over the matches gives the total, both facets and the order; the page is cut from it.
            // (Three passes, one per figure, cost three times the bare full-text query.)
            var facets = Facets(offsetSeconds: Int64(offsetSeconds))
            let inMemory =
                engine == .archiveIndex
                ? try archive.index(db) { try await Self.rebuild(archive, in: database) } : nil
            let tokenizer = try SearchTokenizer(db)
            let expanded = try query.expandingPrefixes { try Self.words(beginning: $0, db: db, tokenizer: tokenizer) }
            let indexQuery = try tokenizer.indexQuery(expanded)
            let matches =
                if let inMemory {
                    // Newest first reads no score: field-weighted BM25 alone gives the "matched every word" flags.
                    ArchiveSearch.matches(
                        inMemory, query: indexQuery, ranking: ArchiveSearch.ranking(for: request.sort), facts: known,
                        filter: filter, facets: &facets)
                } else {
                    try { () throws -> [Match] in
                        let compiled = FTS5Query(expanded)
                        return try Self.matches(
                            db, any: compiled.matchAny!, all: compiled.matchAll!, facts: known, filter: filter,
                            facets: &facets)
                    }()
                }
            let (countries, years) = (facets.countries, facets.years)
            let range = ResultRange(total: matches.count, page: request.page, perPage: request.perPage)
            var hits: [SearchHit] = []
            if !matches.isEmpty && !range.isPastEnd {
                let ordered = ArchiveSearch.ordered(matches, sort: request.sort, through: range.offset + range.perPage)
                let page = ordered.dropFirst(range.offset).prefix(range.perPage)
                hits = try Self.hits(
                    db, numbers: page.map(\.number), complete: Set(page.filter(\.complete).map(\.number)),
                    phrases: ArchiveSearch.markedPhrases(indexQuery),
                    tokenizer: tokenizer, index: inMemory, request: request)
            }
            // A rare word is noticed from the stems' counts in memory (a written word is never commoner than its
            // stem), which costs nothing; FTS5's vocabulary counts a word's stories by reading them all.
            let rare: Bool =
                if let inMemory {
                    try ArchiveSearch.holdsARareWord(query, index: inMemory, tokenizer: tokenizer)
                } else {
                    try Self.holdsARareWord(query, db: db)
                }
            let suggestion =
                try matches.count < Self.suggestBelow || rare ? Self.suggestion(for: query, db: db) : nil
            return SearchResults(
                query: query, range: range, hits: hits, countryFacets: countries, yearFacets: years,
                suggestion: suggestion, emptyReason: nil)
        }
    }

    typealias Match = ArchiveSearch.Match
    typealias Facets = ArchiveSearch.Facets

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
            let isComplete = complete?.contains(number) ?? true
            matches.append(
                Match(number: number, complete: isComplete, leading: isComplete, score: row[1], published: story.published))
        }
        return matches
    }

    private static func hits(
        _ db: Database, numbers: [Int64], complete: Set<Int64>, phrases: [ArchiveIndex.Phrase],
        tokenizer: SearchTokenizer, index: ArchiveIndex?, request: SearchRequest
    ) throws -> [SearchHit] {
        let stories = try SQLiteArticleStore.teasers(numbers, withTexts: request.highlights, db: db)
        // Marked here from the tokenizer's offsets: FTS5's highlight() and snippet() would run the match again for
        // every story on the page.
        let marking = ArchiveSearch.Marking(phrases, index: index)
        return try stories.map { number, teaser, text in
            let (title, snippet) =
                try text.map {
                    try ArchiveSearch.marked(
                        ArchiveSearch.Text(title: teaser.title, standfirst: $0.standfirst, body: $0.body),
                        number: number, marking: marking, tokenizer: tokenizer)
                } ?? (Highlight.markedHTML(teaser.title), "")
            return SearchHit(
                teaser: teaser, titleHTML: title,
                snippetHTML: snippet.isEmpty ? Highlight.markedHTML(teaser.excerpt) : snippet,
                matchedAll: complete.contains(number))
        }
    }

    /// The archive's words as written (not stemmed) that begin with a folded prefix, as the archive index expands
    /// a prefix (`ArchiveSearch.prefixWords`).
    static func words(beginning prefix: String, db: Database, tokenizer: SearchTokenizer) throws -> [String] {
        guard prefix.unicodeScalars.count >= ArchiveSearch.shortestExpandedPrefix else { return [] }
        let written = try String.fetchAll(
            db,
            sql: """
                SELECT term FROM article_words_vocab WHERE term >= ? AND term < ?
                ORDER BY doc DESC, term LIMIT ?
                """, arguments: [prefix, prefix + "\u{10FFFF}", ArchiveSearch.prefixWords])
        return try ArchiveSearch.prefixWords(written, beginning: prefix, tokenizer: tokenizer)
    }

    /// "Did you mean": each word that the index does not hold is replaced by its nearest word that it does.
    static func suggestion(for query: ParsedQuery, db: Database) throws -> String? {
        var candidates: [(term: String, documentFrequency: Int)] = []
        for window in DidYouMean.windows(for: query) {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT term, doc FROM article_words_vocab
                    WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?
                    """,
                arguments: [window.lowerBound, window.upperBound, window.lengths.lowerBound, window.lengths.upperBound])
            candidates += rows.map { ($0["term"], $0["doc"]) }
        }
        let edits = query.suggestableWords.flatMap(DidYouMean.firstLetterEdits)
        if !edits.isEmpty {
            let rows = try Row.fetchAll(
                db, sql: "SELECT term, doc FROM article_words_vocab WHERE term IN (\(databaseQuestionMarks(count: edits.count)))",
                arguments: StatementArguments(edits))
            candidates += rows.map { ($0["term"], $0["doc"]) }
        }
        guard !candidates.isEmpty else { return nil }
        return DidYouMean.suggestion(for: query, candidates: candidates)
    }

    /// Whether a word of the query is one the archive lacks or holds in at most `DidYouMean.rareWord` stories: a
    /// query can find plenty through its other words and still deserve "did you mean".
    static func holdsARareWord(_ query: ParsedQuery, db: Database) throws -> Bool {
        let words = query.suggestableWords
        guard !words.isEmpty else { return false }
        let known = try Row.fetchAll(
            db, sql: "SELECT term, doc FROM article_words_vocab WHERE term IN (\(databaseQuestionMarks(count: words.count)))",
            arguments: StatementArguments(words))
        let frequencies = Dictionary(known.map { (row: Row) -> (String, Int) in (row["term"], row["doc"]) }) { max($0, $1) }
        return words.contains { word in
            let stories = frequencies[word] ?? 0
            return stories == 0 || (stories <= DidYouMean.rareWord && word.unicodeScalars.count >= 5)
        }
    }
}

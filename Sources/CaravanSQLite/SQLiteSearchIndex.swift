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
        guard archive.claimRebuild() else {
            while archive.isRebuilding { try await Task.sleep(for: .milliseconds(20)) }
            return
        }
        try await Self.rebuild(archive, claimedIn: database)
    }

    /// Rebuilds the archive index after `claimRebuild()` said this caller may, and lets the next one claim it after.
    private static func rebuild(_ archive: ArchiveIndexCache, claimedIn database: SQLiteDatabase) async throws {
        defer { archive.rebuildEnded() }
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
                ? try archive.index(db) {
                    Task.detached(priority: .utility) { try? await Self.rebuild(archive, claimedIn: database) }
                } : nil
            let tokenizer = try SearchTokenizer(db)
            let expanded = try query.expandingPrefixes { try Self.words(beginning: $0, db: db, tokenizer: tokenizer) }
            let indexQuery = try tokenizer.indexQuery(expanded)
            let matches =
                if let inMemory {
                    // Newest first reads no score: field-weighted BM25 alone gives the "matched every word" flags.
                    Self.matches(
                        inMemory, query: indexQuery,
                        ranking: request.sort == .newest ? .plainBM25(weights: ArchiveIndex.Ranking.site.weights) : .site,
                        facts: known, filter: filter, facets: &facets)
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
                let ordered = Self.ordered(
                    matches, sort: request.sort, through: range.offset + range.perPage)
                let page = ordered.dropFirst(range.offset).prefix(range.perPage)
                hits = try Self.hits(
                    db, numbers: page.map(\.number), complete: Set(page.filter(\.complete).map(\.number)),
                    // Each clause's own term first: a prefix's written words must not crowd out later words' marks.
                    phrases: indexQuery.clauses.compactMap(\.first) + indexQuery.clauses.flatMap { $0.dropFirst() },
                    tokenizer: tokenizer, index: inMemory, request: request)
            }
            // A rare word is noticed from the stems' counts in memory (a written word is never commoner than its
            // stem), which costs nothing; FTS5's vocabulary counts a word's stories by reading them all.
            let rare: Bool =
                if let inMemory {
                    try query.suggestableWords.contains { word in
                        try tokenizer.terms(of: word, as: .query).contains { stem in
                            let stories = inMemory.storiesHolding(stem)
                            return stories == 0 || (stories <= DidYouMean.rareWord && word.unicodeScalars.count >= 5)
                        }
                    }
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

    /// What the ranking needs of one matching story; kept small, because the page is chosen from all of them.
    struct Match {
        let number: Int64
        let complete: Bool
        /// Ranks in the first tier: every word the tier asks for (on FTS5, every word).
        let leading: Bool
        let score: Double
        let published: Int64?
    }

    /// Counts by country and by year in the newsroom's time zone, over every match.
    struct Facets {
        let offsetSeconds: Int64
        private var counted: [Int: Int] = [:]
        private var countryCounts = [Int](repeating: 0, count: Country.allCases.count)
        /// The year of the last story counted, the seconds it spans, and how many stories in a row fell in it: matches
        /// come in the order stories were added, mostly a year at a time, so a year is worked out once a run.
        private var run: (year: Int, start: Int64, end: Int64, count: Int) = (0, 0, 0, 0)

        init(offsetSeconds: Int64) {
            self.offsetSeconds = offsetSeconds
        }

        var years: [Int: Int] {
            var years = counted
            if run.count > 0 { years[run.year, default: 0] += run.count }
            return years
        }

        var countries: [Country: Int] {
            var counts: [Country: Int] = [:]
            for (ordinal, country) in Country.allCases.enumerated() where countryCounts[ordinal] > 0 {
                counts[country] = countryCounts[ordinal]
            }
            return counts
        }

        mutating func count(_ story: SearchFacts.Story) {
            if let published = story.published {
                let local = published &+ offsetSeconds  // wraps, never traps
                if local >= run.start && local < run.end {
                    run.count += 1
                } else {
                    if run.count > 0 { counted[run.year, default: 0] += run.count }
                    let year = CivilTime(seconds: local).year
                    // A time beyond CivilTime's limit falls outside its year's span, so it is worked out each time.
                    run = (year, CivilTime.startOfYear(year), CivilTime.startOfYear(year + 1), 1)
                }
            }
            var bits = story.countries.bits
            while bits != 0 {
                countryCounts[bits.trailingZeroBitCount] += 1
                bits &= bits - 1
            }
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
            let isComplete = complete?.contains(number) ?? true
            matches.append(
                Match(number: number, complete: isComplete, leading: isComplete, score: row[1], published: story.published))
        }
        return matches
    }

    /// The same matches as FTS5 gives, found in the archive index.
    static func matches(
        _ index: ArchiveIndex, query: ArchiveIndex.Query, ranking: ArchiveIndex.Ranking = .site, facts: SearchFacts,
        filter: SearchFilter, facets: inout Facets
    ) -> [Match] {
        var matches: [Match] = []
        for found in index.matches(query, ranking: ranking) {
            guard let story = facts.stories[found.number], filter.admits(story) else { continue }
            facets.count(story)
            matches.append(
                Match(
                    number: found.number, complete: found.complete, leading: found.leading, score: found.score,
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
            // Stories in the first tier first, then the score (lower is better in SQLite), then the newer story.
            let byRelevance: (Match, Match) -> Bool = { left, right in
                if left.leading != right.leading { return left.leading }
                if left.score != right.score { return left.score < right.score }
                return newestFirst(left, right)
            }
            return sortAll ? matches.sorted(by: byRelevance) : matches.leading(count, by: byRelevance)
        }
    }

    private static func hits(
        _ db: Database, numbers: [Int64], complete: Set<Int64>, phrases: [ArchiveIndex.Phrase],
        tokenizer: SearchTokenizer, index: ArchiveIndex?, request: SearchRequest
    ) throws -> [SearchHit] {
        let stories = try SQLiteArticleStore.teasers(numbers, withTexts: request.highlights, db: db)
        var marked: [Int64: (title: String, snippet: String)] = [:]
        let wanted = WantedTerms(phrases)
        let inMemory = index.map { (index: $0, marks: $0.termMarks(wanted)) }
        // Marked here from the tokenizer's offsets: FTS5's highlight() and snippet() would run the match again for
        // every story on the page.
        for story in stories {
            guard let text = story.text else { continue }
            func matched(_ text: String) throws -> (tokens: [MarkableToken], instances: [Passage.Instance]) {
                let tokens = try tokenizer.markableTokens(of: text, wanted: wanted)
                return (tokens, Passage.instances(of: wanted, in: tokens))
            }
            let title = story.teaser.title
            let titleMarks = try matched(title)
            let passage =
                try inMemory.flatMap {
                    try passageFromIndex(
                        text, number: story.number, index: $0.index, marks: $0.marks, wanted: wanted, tokenizer: tokenizer)
                } ?? passageByTokenizing(text, matched: matched)
            marked[story.number] = (
                Passage.markedHTML(title, tokens: titleMarks.tokens, instances: titleMarks.instances), passage
            )
        }
        return stories.map { number, teaser, _ in
            let (title, snippet) = marked[number] ?? (Highlight.markedHTML(teaser.title), "")
            return SearchHit(
                teaser: teaser, titleHTML: title,
                snippetHTML: snippet.isEmpty ? Highlight.markedHTML(teaser.excerpt) : snippet,
                matchedAll: complete.contains(number))
        }
    }

    /// The passage of a story's body, or of its standfirst when the body does not hold the words, marked from every
    /// token of it.
    private static func passageByTokenizing(
        _ text: SQLiteArticleStore.SearchableText,
        matched: (String) throws -> (tokens: [MarkableToken], instances: [Passage.Instance])
    ) throws -> String {
        var passageText = text.body
        var passageMarks = try matched(passageText)
        // The standfirst speaks for a story whose body does not hold the words.
        if passageMarks.instances.isEmpty, !text.standfirst.isEmpty {
            let standfirstMarks = try matched(text.standfirst)
            if !standfirstMarks.instances.isEmpty {
                (passageText, passageMarks) = (text.standfirst, standfirstMarks)
            }
        }
        return Passage.passageHTML(passageText, tokens: passageMarks.tokens, instances: passageMarks.instances)
    }

    /// The same passage, its marks found in the story's tokens in memory (which the search's transaction sees level
    /// with the text), so that only the text up to the passage's end is read for offsets, by the tokenizer without
    /// its stemmer; nil when the index does not hold the story or the text does not hold the tokens it does.
    private static func passageFromIndex(
        _ text: SQLiteArticleStore.SearchableText, number: Int64, index: ArchiveIndex, marks: ArchiveIndex.TermMarks,
        wanted: WantedTerms, tokenizer: SearchTokenizer
    ) throws -> String? {
        guard let body = index.wantedBits(of: number, column: 2, marks: marks) else { return nil }
        var (passageText, bits) = (text.body, body)
        var instances = Passage.instances(of: wanted, in: bits)
        if instances.isEmpty, !text.standfirst.isEmpty,
            let standfirst = index.wantedBits(of: number, column: 1, marks: marks)
        {
            let standfirstInstances = Passage.instances(of: wanted, in: standfirst)
            if !standfirstInstances.isEmpty { (passageText, bits, instances) = (text.standfirst, standfirst, standfirstInstances) }
        }
        let window = Passage.window(tokenCount: bits.count, instances: instances)
        // A whole text is read one token past its end, so that a text longer than the index says is noticed.
        let reach = window?.upperBound ?? bits.count
        let tokens = try tokenizer.tokens(of: passageText, through: window == nil ? reach + 1 : reach)
        guard tokens.count == reach else { return nil }
        guard let window else { return Passage.markedHTML(passageText, tokens: tokens, instances: instances) }
        return Passage.passageHTML(
            passageText, tokens: tokens, tokenCount: bits.count, instances: instances, window: window)
    }

    /// How many written words a prefix brings in at most, the most frequent first.
    static let prefixWords = 64
    /// Shorter prefixes begin nearly every stem they mean already, and would read much of the vocabulary.
    static let shortestExpandedPrefix = 4

    /// The archive's words as written (not stemmed) that begin with a folded prefix, the most frequent first, one
    /// per stem and none whose stem the prefix itself begins: each stem then counts once in the prefix's clause.
    static func words(beginning prefix: String, db: Database, tokenizer: SearchTokenizer) throws -> [String] {
        guard prefix.unicodeScalars.count >= shortestExpandedPrefix else { return [] }
        let written = try String.fetchAll(
            db,
            sql: """
                SELECT term FROM article_words_vocab WHERE term >= ? AND term < ?
                ORDER BY doc DESC, term LIMIT ?
                """, arguments: [prefix, prefix + "\u{10FFFF}", prefixWords])
        let stemmedPrefix = try tokenizer.terms(of: prefix, as: [.query, .prefix]).last ?? prefix
        var stems: Set<String> = []
        return try written.filter { word in
            guard let stem = try tokenizer.terms(of: word, as: .query).first else { return false }
            return !stem.utf8.starts(with: stemmedPrefix.utf8) && stems.insert(stem).inserted
        }
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

import CaravanCore
import CaravanSearch
import CaravanStorage
import Foundation
import Logging
import PostgresNIO

/// Search on PostgreSQL: the archive index in memory (`ArchiveIndex`, ranked as on SQLite) once it is level with the
/// database, and PostgreSQL's full text (`ts_rank_cd` with the title weighted above the body, complete matches first)
/// while it loads, and always with `.tsvector`, the reference. The contract suite runs both engines.
public struct PostgresSearchIndex: SearchIndex {
    /// What finds and ranks the matches.
    public enum Engine: Sendable {
        case archiveIndex, tsvector
    }

    let database: PostgresDatabase
    /// The newsroom's time zone, for the year facets.
    let timeZone: TimeZone
    let engine: Engine
    /// Shared by every copy of this index: the archive in memory and the stories' facts.
    let archive = PostgresArchiveIndex()

    /// `ts_rank_cd`'s weights for D, C, B, A: body 0.1, standfirst 0.4, title 1, FTS5's 1 : 4 : 10.
    static let weights = "{0.1, 0.2, 0.4, 1.0}"
    /// Below this many results a spelling suggestion is offered.
    static let suggestBelow = 3
    /// The vocabulary words fetched per misspelt word, the nearest in trigrams first.
    static let candidatesPerWord = 500
    /// Stands in for `<` while `ts_headline` reads a title or a passage: its parser takes `<…>` for an HTML tag (and
    /// skips what follows `<script>`), and stories are plain text, in which `<script>` is something the story says.
    static let lessThanStandIn = "\u{E002}"

    public init(database: PostgresDatabase, timeZone: TimeZone, engine: Engine = .archiveIndex) {
        self.database = database
        self.timeZone = timeZone
        self.engine = engine
        if engine == .archiveIndex {
            // Another instance's edit is caught up between searches, not in the first search after it; a burst of
            // notifications (an import's commits, a rates fetch) makes one catch-up, and one more after it at most.
            let catchUp = CoalescedWork { [archive, database] in
                guard archive.isReady else { return }
                try? await database.read { connection in
                    _ = try await Self.state(of: archive, in: database, connection: connection)
                }
            }
            database.onContentChange { catchUp.ask() }
        }
    }

    /// The archive index and facts of this snapshot, or nil when `tsvector` answers; starts a rebuild when one is due.
    private static func state(
        of archive: PostgresArchiveIndex, in database: PostgresDatabase, connection: PostgresConnection
    ) async throws -> PostgresArchiveIndex.State? {
        try await archive.state(connection, logger: database.logger) { try await Self.rebuild(archive, in: database) }
    }

    /// Builds the archive index now, so that the first searches need not fall back to `tsvector` (start-up,
    /// benchmarks); waits for the rebuild a search has already started instead of building a second one.
    public func prepare() async throws {
        guard engine == .archiveIndex else { return }
        try await archive.rebuilds.runOrAwait { try await Self.rebuild(archive, in: database) }
    }

    private static func rebuild(_ archive: PostgresArchiveIndex, in database: PostgresDatabase) async throws {
        try await database.read { connection in try await archive.rebuild(connection, logger: database.logger) }
    }

    public func search(_ request: SearchRequest) async throws -> SearchResults {
        let query = ParsedQuery.parse(request.text)
        let compiled = TSQuery(query, configuration: PostgresSearchSchema.configuration)
        guard case .match(let all, let any, let terms) = compiled else {
            return .empty(query, reason: compiled.emptyReason, page: request.page, perPage: request.perPage)
        }
        let logger = database.logger
        let offsetSeconds = Int64(timeZone.secondsFromGMT())
        // The prefixes' written words come first: the snapshot below must not wait on a second round of them.
        let written = try await prefixWords(query)
        if engine == .archiveIndex,
            let results = try await Self.quickSearch(
                query, request: request, archive: archive, written: written, offsetSeconds: offsetSeconds,
                database: database)
        {
            archive.answered()
            return results
        }
        // One snapshot: the total, the facets, the page and its teasers all see the same stories.
        return try await database.readPublished { [archive, database, engine] connection in
            if engine == .archiveIndex, let state = try await Self.state(of: archive, in: database, connection: connection) {
                archive.answered()
                return try await Self.search(
                    query, request: request, state: state, written: written, offsetSeconds: offsetSeconds,
                    connection: connection, logger: logger)
            }
            let statement = Self.statement(all: all, any: any, terms: terms, request: request, offsetSeconds: offsetSeconds)
            let summary = try Self.summary(try await connection.rows(statement, logger: logger))
            let range = ResultRange(total: summary.total, page: request.page, perPage: request.perPage)
            let teasers = try await PostgresArticleStore.teasersByNumber(
                summary.page.map(\.number), connection: connection, logger: logger)
            let hits = summary.page.compactMap { shown in
                teasers[shown.number].map { teaser in
                    SearchHit(
                        teaser: teaser, titleHTML: Highlight.markedHTML(shown.title ?? teaser.title),
                        snippetHTML: Highlight.markedHTML(shown.passage ?? teaser.excerpt), matchedAll: shown.complete)
                }
            }
            let suggestion = summary.total < Self.suggestBelow
                ? try await Self.suggestion(for: query, connection: connection, logger: logger) : nil
            return SearchResults(
                query: query, range: range, hits: hits, countryFacets: summary.countries, yearFacets: summary.years,
                suggestion: suggestion, emptyReason: nil)
        }
    }

    // MARK: - On the archive index

    /// The archive's words as written that begin with each one-word prefix of the query, by folded prefix, as the
    /// archive index expands a prefix (`ArchiveSearch.prefixWords`); empty on `tsvector`, which matches prefixes itself.
    private func prefixWords(_ query: ParsedQuery) async throws -> [String: [String]] {
        guard engine == .archiveIndex else { return [:] }
        var prefixes: [String] = []
        _ = query.expandingPrefixes { prefix in
            if prefix.unicodeScalars.count >= ArchiveSearch.shortestExpandedPrefix { prefixes.append(prefix) }
            return []
        }
        guard !prefixes.isEmpty else { return [:] }
        let upperBounds = prefixes.map { $0 + "\u{10FFFF}" }
        let rows = try await database.readPublished { [logger = database.logger] connection in
            try await connection.rows(
                """
                SELECT w.prefix, v.word
                FROM unnest(\(prefixes)::text[], \(upperBounds)::text[]) AS w(prefix, upper_bound)
                CROSS JOIN LATERAL (
                    SELECT s.word FROM search_word s
                    WHERE s.word >= w.prefix AND s.word < w.upper_bound AND s.documents > 0
                    ORDER BY s.documents DESC, s.word LIMIT \(Int64(ArchiveSearch.prefixWords))
                ) v
                """, logger: logger)
        }
        var written: [String: [String]] = [:]
        for row in rows {
            written[try row.get("prefix", as: String.self), default: []].append(try row.get("word", as: String.self))
        }
        let tokenizer = try PorterTokenizer()
        for (prefix, words) in written {
            written[prefix] = try ArchiveSearch.prefixWords(words, beginning: prefix, tokenizer: tokenizer)
        }
        return written
    }

    /// What the archive index answers of a search before any story is read: the total, the facets, the page.
    struct Answer {
        let range: ResultRange
        let page: [ArchiveSearch.Match]
        let facets: ArchiveSearch.Facets
        let marking: ArchiveSearch.Marking
        let wantsSuggestion: Bool
    }

    static func answer(
        _ query: ParsedQuery, request: SearchRequest, state: PostgresArchiveIndex.State, written: [String: [String]],
        sectionID: Int64?, offsetSeconds: Int64, tokenizer: PorterTokenizer
    ) throws -> Answer {
        let indexQuery = try tokenizer.indexQuery(query.expandingPrefixes { written[$0] ?? [] })
        var facets = ArchiveSearch.Facets(offsetSeconds: offsetSeconds)
        let matches = ArchiveSearch.matches(
            state.index, query: indexQuery, ranking: ArchiveSearch.ranking(for: request.sort), facts: state.facts,
            filter: SearchFilter(request, sectionID: sectionID), facets: &facets)
        let range = ResultRange(total: matches.count, page: request.page, perPage: request.perPage)
        let page =
            matches.isEmpty || range.isPastEnd
            ? [] : Array(
                ArchiveSearch.ordered(matches, sort: request.sort, through: range.offset + range.perPage)
                    .dropFirst(range.offset).prefix(range.perPage))
        let rare = try ArchiveSearch.holdsARareWord(query, index: state.index, tokenizer: tokenizer)
        return Answer(
            range: range, page: page, facets: facets,
            marking: ArchiveSearch.Marking(ArchiveSearch.markedPhrases(indexQuery), index: state.index),
            wantsSuggestion: matches.count < suggestBelow || rare)
    }

    static func results(
        _ answer: Answer, stories: PostgresArticleStore.SearchedStories, query: ParsedQuery, suggestion: String?,
        tokenizer: PorterTokenizer
    ) throws -> SearchResults {
        let hits = try answer.page.compactMap { match -> SearchHit? in
            guard let story = stories.byNumber[match.number] else { return nil }
            let (title, snippet) =
                try story.text.map {
                    try ArchiveSearch.marked($0, number: match.number, marking: answer.marking, tokenizer: tokenizer)
                } ?? (Highlight.markedHTML(story.teaser.title), "")
            return SearchHit(
                teaser: story.teaser, titleHTML: title,
                snippetHTML: snippet.isEmpty ? Highlight.markedHTML(story.teaser.excerpt) : snippet,
                matchedAll: match.complete)
        }
        return SearchResults(
            query: query, range: answer.range, hits: hits, countryFacets: answer.facets.countries,
            yearFacets: answer.facets.years, suggestion: suggestion, emptyReason: nil)
    }

    /// The search on the archive index as it stands, its stories read by one statement outside a transaction; nil
    /// when that statement's snapshot is not the index's and the facts' (an edit since: the caller searches in a
    /// transaction that catches up) or when a section must be looked up first.
    private static func quickSearch(
        _ query: ParsedQuery, request: SearchRequest, archive: PostgresArchiveIndex, written: [String: [String]],
        offsetSeconds: Int64, database: PostgresDatabase
    ) async throws -> SearchResults? {
        guard request.section == nil, let (sequence, state) = archive.current() else { return nil }
        // A replica behind what this instance already knows would agree with a lagging index, and the page would be
        // cached under the newer version.
        let known = try await database.contentVersion()
        guard state.facts.version >= known else { return nil }
        let tokenizer = try PorterTokenizer()
        let answer = try Self.answer(
            query, request: request, state: state, written: written, sectionID: nil, offsetSeconds: offsetSeconds,
            tokenizer: tokenizer)
        let logger = database.logger
        let stories = try await database.readStatement { connection in
            try await PostgresArticleStore.teasersByNumber(
                answer.page.map(\.number), withTexts: request.highlights, positions: true, connection: connection,
                logger: logger)
        }
        guard let seen = stories.positions, seen.version == state.facts.version, seen.sequence == sequence else {
            return nil
        }
        // The vocabulary alone: another snapshot does no harm.
        let suggestion =
            answer.wantsSuggestion
            ? try await database.readStatement { try await Self.suggestion(for: query, connection: $0, logger: logger) }
            : nil
        return try results(answer, stories: stories, query: query, suggestion: suggestion, tokenizer: tokenizer)
    }

    /// The search on the archive index, in the snapshot `state` was taken in.
    private static func search(
        _ query: ParsedQuery, request: SearchRequest, state: PostgresArchiveIndex.State, written: [String: [String]],
        offsetSeconds: Int64, connection: PostgresConnection, logger: Logger
    ) async throws -> SearchResults {
        let tokenizer = try PorterTokenizer()
        var sectionID: Int64? = nil
        if let section = request.section {
            sectionID = try await connection.value(
                "SELECT id FROM section WHERE slug = \(section)", as: Int64.self, logger: logger)
        }
        let answer = try Self.answer(
            query, request: request, state: state, written: written, sectionID: sectionID, offsetSeconds: offsetSeconds,
            tokenizer: tokenizer)
        let stories = try await PostgresArticleStore.teasersByNumber(
            answer.page.map(\.number), withTexts: request.highlights, connection: connection, logger: logger)
        let suggestion =
            answer.wantsSuggestion ? try await Self.suggestion(for: query, connection: connection, logger: logger) : nil
        return try results(answer, stories: stories, query: query, suggestion: suggestion, tokenizer: tokenizer)
    }

    // MARK: - The statement

    /// A statement's text and its parameters, numbered as they are bound.
    struct Statement {
        var bindings = PostgresBindings()

        /// Binds a value and returns its placeholder.
        mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
            bindings.append(value)
            return "$\(bindings.count)"
        }
    }

    /// One statement reads the matches once and returns the total, the facets and the page as rows of four kinds
    /// (`total`, `country`, `year`, `hit`); the tsquery's terms are `$1…`, as `TSQuery` numbered them.
    static func statement(
        all: String, any: String, terms: [String], request: SearchRequest, offsetSeconds: Int64
    ) -> PostgresQuery {
        var values = Statement()
        for term in terms {
            _ = values.bind(term)
        }
        let configuration = PostgresSearchSchema.configuration.name
        var filters = ["a.status = 'published'"]
        if let country = request.country {
            filters.append(
                "EXISTS (SELECT 1 FROM article_country c WHERE c.article_number = a.number AND c.country_code = \(values.bind(country.code)))")
        }
        if let section = request.section {
            filters.append("a.section_id = (SELECT id FROM section WHERE slug = \(values.bind(section)))")
        }
        if let language = request.language {
            filters.append("a.language = \(values.bind(language.rawValue))")
        }
        if let from = request.from {
            filters.append("a.published_at >= \(values.bind(Int64(from.timeIntervalSince1970)))")
        }
        if let to = request.to {
            filters.append("a.published_at <= \(values.bind(Int64(to.timeIntervalSince1970)))")
        }
        let order = switch request.sort {
        case .relevance: "complete DESC, score DESC, published_at DESC NULLS LAST, number DESC"
        case .newest: "published_at DESC NULLS LAST, number DESC"
        }
        let range = ResultRange(total: 0, page: request.page, perPage: request.perPage)
        let limit = values.bind(Int64(range.perPage))
        let offset = values.bind(Int64(range.offset))
        let year = "extract(year FROM to_timestamp(m.published_at + \(values.bind(offsetSeconds))) AT TIME ZONE 'UTC')::int"
        let marked = request.highlights ? highlights(configuration: configuration, values: &values) : nil
        // Reading a story's vector is most of the cost of a match: one-clause queries match all-or-nothing, so they
        // need no second @@, and newest-first needs no score and asks the second @@ of the page's stories only.
        let complete = all == any ? "true" : "a.search_vector @@ query.all_words"
        let (score, completeInMatches, completeOnPage) = switch request.sort {
        case .relevance:
            ("ts_rank_cd('\(weights)', a.search_vector, query.any_word, 1)", complete, "shown.complete")
        case .newest:
            ("0", "NULL::bool",
             all == any ? "true" : "(SELECT \(complete) FROM article a CROSS JOIN query WHERE a.number = shown.number)")
        }
        let sql = """
            WITH query AS MATERIALIZED (
                SELECT \(all) AS all_words, \(any) AS any_word
            ), matches AS MATERIALIZED (
                SELECT a.number, a.published_at, \(completeInMatches) AS complete, \(score) AS score
                FROM query JOIN article a ON a.search_vector @@ query.any_word
                WHERE \(filters.joined(separator: " AND "))
            ), page AS (
                SELECT shown.number, \(completeOnPage) AS complete, row_number() OVER (ORDER BY \(order)) AS position
                FROM (SELECT * FROM matches ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)) AS shown
            )
            SELECT 'total' AS kind, NULL::text AS country, NULL::int AS year, count(*) AS count, NULL::int8 AS number,
                NULL::bool AS complete, NULL::text AS title, NULL::text AS passage, NULL::text AS lead,
                NULL::text AS trail
            FROM matches
            UNION ALL
            SELECT 'country', c.country_code, NULL, count(*), NULL, NULL, NULL, NULL, NULL, NULL
            FROM matches m JOIN article_country c ON c.article_number = m.number GROUP BY c.country_code
            UNION ALL
            SELECT 'year', NULL, \(year), count(*), NULL, NULL, NULL, NULL, NULL, NULL
            FROM matches m WHERE m.published_at IS NOT NULL GROUP BY 3
            UNION ALL
            SELECT 'hit', NULL, NULL, p.position, p.number, p.complete, \(marked?.columns ?? "NULL, NULL, NULL, NULL")
            FROM page p\(marked?.joins ?? "")
            """
        return PostgresQuery(unsafeSQL: sql, binds: values.bindings)
    }

    /// The title with every match marked, and the passage of about 30 words around the best match in the body (the
    /// standfirst when only it matches), with what lies on either side of it when that is no words (`ts_headline`
    /// stops at a word; the closing full stop belongs to the passage), NULL when the passage was cut there.
    private static func highlights(configuration: String, values: inout Statement) -> (columns: String, joins: String) {
        let open = values.bind(Highlight.openMarker)
        let markers = values.bind(Highlight.openMarker + Highlight.closeMarker)
        let standIn = values.bind(lessThanStandIn)
        let marks = "StartSel=\"\(Highlight.openMarker)\", StopSel=\"\(Highlight.closeMarker)\""
        let titleOptions = values.bind(marks + ", HighlightAll=true")
        let passageOptions = values.bind(marks + ", MaxWords=30, MinWords=15, ShortWord=0, MaxFragments=1")
        // Words on the far side of the passage (not just punctuation or spaces) mean it was cut there.
        let words = "'[^[:space:][:punct:]]'"
        let blank = "E' \\t\\r\\n'"
        let columns = """
            ts_headline('\(configuration)', replace(a.title, '<', \(standIn)), query.any_word, \(titleOptions)),
                passage.text, passage.lead, passage.trail
            """
        let joins = """

            JOIN article a ON a.number = p.number CROSS JOIN query
            LEFT JOIN LATERAL (
                SELECT headline.text,
                    CASE WHEN around.head !~ \(words) THEN ltrim(around.head, \(blank)) END AS lead,
                    CASE WHEN around.tail !~ \(words) THEN rtrim(around.tail, \(blank)) END AS trail
                FROM (VALUES (1, replace(a.body_text, '<', \(standIn))), (2, replace(a.standfirst, '<', \(standIn))))
                    AS part(preference, source)
                -- OFFSET 0 keeps the planner from copying ts_headline into every expression that reads it.
                CROSS JOIN LATERAL (
                    SELECT btrim(ts_headline('\(configuration)', part.source, query.any_word, \(passageOptions)), \(blank))
                        AS text
                    OFFSET 0
                ) headline
                CROSS JOIN LATERAL (SELECT translate(headline.text, \(markers), '') AS plain) bare
                CROSS JOIN LATERAL (SELECT strpos(part.source, bare.plain) AS at) found
                CROSS JOIN LATERAL (
                    SELECT CASE WHEN found.at > 0 THEN left(part.source, found.at - 1) ELSE '' END AS head,
                        CASE WHEN found.at > 0 THEN substr(part.source, found.at + char_length(bare.plain)) ELSE '' END AS tail
                ) around
                WHERE part.source <> '' AND (part.preference = 1 OR strpos(headline.text, \(open)) > 0)
                ORDER BY strpos(headline.text, \(open)) = 0, part.preference
                LIMIT 1
            ) passage ON true
            """
        return (columns, joins)
    }

    // MARK: - Reading the rows

    /// One story of the page as the statement returned it.
    struct Shown {
        let position: Int
        let number: Int64
        let complete: Bool
        /// The marked title, nil without highlights.
        let title: String?
        /// The marked passage with its ellipses, nil without highlights or when the story has no text to cut from.
        let passage: String?
    }

    struct Summary {
        var total = 0
        var countries: [Country: Int] = [:]
        var years: [Int: Int] = [:]
        var page: [Shown] = []
    }

    static func summary(_ rows: [PostgresRandomAccessRow]) throws -> Summary {
        var summary = Summary()
        for row in rows {
            let count = Int(try row.get("count", as: Int64.self))
            switch try row.get("kind", as: String.self) {
            case "total":
                summary.total = count
            case "country":
                if let country = Country(code: try row.get("country", as: String.self)) {
                    summary.countries[country] = count
                }
            case "year":
                summary.years[Int(try row.get("year", as: Int32.self))] = count
            default:
                summary.page.append(
                    Shown(
                        position: count, number: try row.get("number"), complete: try row.get("complete"),
                        title: try row.get("title", as: String?.self).map(withLessThan),
                        passage: try row.get("passage", as: String?.self).flatMap {
                            passage($0, lead: try row.get("lead"), trail: try row.get("trail"))
                        }))
            }
        }
        summary.page.sort { $0.position < $1.position }
        return summary
    }

    /// A passage as FTS5's `snippet()` gives it: the punctuation around it kept, an ellipsis where the text goes on
    /// (`lead` or `trail` nil), the stand-in turned back into `<`; nil for an empty one, so the caller falls back to
    /// the excerpt as SQLiteSearchIndex does.
    static func passage(_ headline: String, lead: String?, trail: String?) -> String? {
        guard !headline.isEmpty else {
            return nil
        }
        return withLessThan((lead ?? Highlight.ellipsis) + headline + (trail ?? Highlight.ellipsis))
    }

    /// The text with the stand-in turned back into `<`.
    static func withLessThan(_ text: String) -> String {
        text.replacingOccurrences(of: lessThanStandIn, with: "<")
    }

    // MARK: - Did you mean

    /// "Did you mean": each word that the vocabulary does not hold is replaced by its nearest word that it does. The
    /// candidates are the words SQLiteSearchIndex would read (same first letter, lengths within the edit distance),
    /// the closest in trigrams first; DidYouMean chooses among them.
    static func suggestion(for query: ParsedQuery, connection: PostgresConnection, logger: Logger) async throws -> String? {
        let windows = query.suggestableWords.compactMap { word in DidYouMean.window(for: word).map { (word, $0) } }
        guard !windows.isEmpty else {
            return nil
        }
        let words = windows.map(\.0)
        let lowerBounds = windows.map(\.1.lowerBound)
        let upperBounds = windows.map(\.1.upperBound)
        let shortest = windows.map { Int64($0.1.lengths.lowerBound) }
        let longest = windows.map { Int64($0.1.lengths.upperBound) }
        let rows = try await connection.rows(
            """
            SELECT v.word, v.documents
            FROM unnest(\(words)::text[], \(lowerBounds)::text[], \(upperBounds)::text[], \(shortest)::int8[], \(longest)::int8[])
                AS w(word, lower_bound, upper_bound, shortest, longest)
            CROSS JOIN LATERAL (
                SELECT s.word, s.documents FROM search_word s
                WHERE s.word >= w.lower_bound AND s.word < w.upper_bound
                    AND char_length(s.word) BETWEEN w.shortest AND w.longest AND s.documents > 0
                ORDER BY similarity(s.word, w.word) DESC, s.word
                LIMIT \(Int64(candidatesPerWord))
            ) v
            """, logger: logger)
        let candidates = try rows.map { row in
            (term: try row.get("word", as: String.self), documentFrequency: Int(try row.get("documents", as: Int64.self)))
        }
        guard !candidates.isEmpty else {
            return nil
        }
        return DidYouMean.suggestion(for: query, candidates: candidates)
    }
}

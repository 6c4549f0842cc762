import CaravanCore
@testable import CaravanSQLite
import CaravanSearch
@testable import CaravanStorage
import CaravanTestSupport
import Foundation
import GRDB
import Testing

/// The archive index in memory against FTS5, its reference: for every query, the same stories, the same "matched
/// every clause" flags and the same BM25 scores to the last bit, before and after the archive changes.
@Suite("Archive index against FTS5")
struct ArchiveIndexEquivalenceTests {
    /// Words with several forms that stem alike, names with diacritics and other scripts, numbers, and filler.
    static let vocabulary: [String] = [
        "govern", "government", "governments", "governing", "governor", "elect", "election", "elections", "elected",
        "repatriation", "repatriated", "repatriates", "oil", "oils", "price", "prices", "pricing", "bank", "banks",
        "banking", "loan", "loans", "trade", "traders", "trading", "market", "markets", "interest", "rate", "rates",
        "dollar", "dollars", "tenge", "som", "somoni", "sum", "manat", "Almaty", "Astana", "Bishkek", "Dushanbe",
        "Tashkent", "Ashgabat", "Öskemen", "Türkmenbaşy", "Ташкент", "Алматы", "Qazaqstan", "café", "naïve",
        "2024", "19", "covid", "cotton", "water", "river", "dam", "border", "the", "a", "of", "in", "and", "to", "on",
        "new", "minister", "ministers", "ministry", "parliament", "vote", "voted", "votes", "silk", "road", "roads",
        "export", "exports", "exported", "import", "imports", "gas", "pipeline", "pipelines", "wheat", "grain",
        // Canonically equivalent spellings that FTS5 keeps apart (Swift's String equality would not): composed and
        // decomposed Hangul, and Greek alpha with oxia and with tonos. The query parser composes what readers type.
        "\u{D55C}\u{AD6D}", "\u{1112}\u{1161}\u{11AB}\u{1100}\u{116E}\u{11A8}",
        "\u{1F71}\u{03B8}\u{03B7}\u{03BD}\u{03B1}",
        "\u{03AC}\u{03B8}\u{03B7}\u{03BD}\u{03B1}",
    ]

    static func words(_ count: Int, using generator: inout SeededGenerator) -> [String] {
        (0..<count).map { _ in vocabulary.randomElement(using: &generator)! }
    }

    static func corpus(_ count: Int, seed: UInt64) -> [ArticleSubmission] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { n in
            let title = words(Int.random(in: 2...8, using: &generator), using: &generator).joined(separator: " ")
            let standfirst = words(Int.random(in: 0...14, using: &generator), using: &generator).joined(separator: " ")
            let body = words(Int.random(in: 5...160, using: &generator), using: &generator).joined(separator: ". ")
            return ArticleSubmission(
                id: Article.ID("s\(n)"), title: title.isEmpty ? "Untitled" : title, standfirst: standfirst,
                body: body, published: Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 3_600),
                section: ["Economy", "Politics", "Energy"][n % 3], countries: [Country.allCases[n % 5]], tags: [],
                author: "Aigerim Sadykova", language: .en, status: .published)
        }
    }

    /// Queries a reader might type over that vocabulary: words, forms, prefixes, phrases, alternatives, exclusions.
    static func queries(_ count: Int, seed: UInt64) -> [String] {
        var generator = SeededGenerator(seed: seed)
        func term() -> String {
            let word = vocabulary.randomElement(using: &generator)!
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: return String(word.prefix(Int.random(in: 1...4, using: &generator))) + "*"
            case 1, 2:
                return "\"" + words(Int.random(in: 2...3, using: &generator), using: &generator).joined(separator: " ")
                    + "\""
            case 3: return "\"" + words(1, using: &generator)[0] + " " + String(word.prefix(3)) + "*\""
            case 4: return "-" + word
            case 5: return word + " OR " + vocabulary.randomElement(using: &generator)!
            default: return word
            }
        }
        return (0..<count).map { _ in
            (0..<Int.random(in: 1...4, using: &generator)).map { _ in term() }.joined(separator: " ")
        }
    }

    /// FTS5's matches and the archive index's, in one read transaction.
    static func bothEngines(_ text: String, database: SQLiteDatabase, index: ArchiveIndex) async throws
        -> (fts5: [SQLiteSearchIndex.Match], archive: [SQLiteSearchIndex.Match])?
    {
        let query = ParsedQuery.parse(text)
        let compiled = FTS5Query(query)
        guard let any = compiled.matchAny, let all = compiled.matchAll else { return nil }
        return try await database.writer.read { db in
            let facts = try SearchFacts.read(db, version: 0)
            let filter = try SearchFilter(SearchRequest(text: text), db: db)
            var facets = SQLiteSearchIndex.Facets(offsetSeconds: 0)
            let reference = try SQLiteSearchIndex.matches(
                db, any: any, all: all, facts: facts, filter: filter, facets: &facets)
            let archive = ArchiveSearch.matches(
                index, query: try SearchTokenizer(db).indexQuery(query),
                ranking: .plainBM25(weights: ArchiveIndex.Ranking.site.weights), facts: facts, filter: filter,
                facets: &facets)
            return (reference.sorted { $0.number < $1.number }, archive.sorted { $0.number < $1.number })
        }
    }

    static func expectSame(_ texts: [String], database: SQLiteDatabase, index: ArchiveIndex) async throws -> Int {
        var compared = 0
        for text in texts {
            guard let (fts5, archive) = try await bothEngines(text, database: database, index: index) else { continue }
            #expect(fts5.map(\.number) == archive.map(\.number), "stories for \(text)")
            #expect(fts5.map(\.complete) == archive.map(\.complete), "complete matches for \(text)")
            #expect(fts5.map(\.score.bitPattern) == archive.map(\.score.bitPattern), "scores for \(text)")
            compared += fts5.isEmpty ? 0 : 1
        }
        return compared
    }

    static func index(_ cache: ArchiveIndexCache, _ database: SQLiteDatabase) async throws -> ArchiveIndex {
        try #require(try await database.writer.read { db in try cache.index(db, rebuild: {}) })
    }

    @Test func sameStoriesFlagsAndScoresAsFTS5() async throws {
        let database = try SQLiteDatabase.inMemory()
        _ = try await SQLiteArticleStore(database: database).save(Self.corpus(300, seed: 7))
        let index = try await Self.index(ArchiveIndexCache(), database)
        #expect(index.storyCount == 300)
        let texts = Self.queries(400, seed: 11) + HostileQueries.all
        let compared = try await Self.expectSame(texts, database: database, index: index)
        // The generated queries must mostly find something, or the comparison proves little.
        #expect(compared > 250)
    }

    @Test func stillTheSameAfterEditsUnpublishingAndDeletion() async throws {
        let database = try SQLiteDatabase.inMemory()
        let store = SQLiteArticleStore(database: database)
        var stories = Self.corpus(120, seed: 3)
        _ = try await store.save(stories)
        let cache = ArchiveIndexCache()
        _ = try await Self.index(cache, database)
        // Rewrite some stories, withdraw some, delete some, and add new ones.
        var generator = SeededGenerator(seed: 99)
        for n in stride(from: 0, to: 120, by: 7) {
            stories[n].title = Self.words(4, using: &generator).joined(separator: " ")
            stories[n].body = Self.words(40, using: &generator).joined(separator: " ")
        }
        for n in stride(from: 3, to: 120, by: 11) { stories[n].status = .draft }
        _ = try await store.save(
            stories
                + Self.corpus(130, seed: 5).suffix(10).map { story in
                    var story = story
                    story.id = Article.ID("new-" + story.id.rawValue)
                    return story
                })
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM article WHERE id IN ('s1', 's2', 's50')")
        }
        let caughtUp = try await Self.index(cache, database)
        #expect(cache.catchUps == 2, "the edits were applied to the index, not rebuilt")
        let published = try await database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM article WHERE status = 'published'")
        }
        #expect(caughtUp.storyCount == published)
        let texts = Self.queries(300, seed: 13)
        let compared = try await Self.expectSame(texts, database: database, index: caughtUp)
        #expect(compared > 150)
        // Caught up and built afresh, the index answers alike.
        let fresh = try await database.writer.read { db in try ArchiveIndexCache.build(db) }
        for text in texts.prefix(100) {
            let a = try #require(try await Self.bothEngines(text, database: database, index: fresh) ?? ([], []))
            let b = try #require(try await Self.bothEngines(text, database: database, index: caughtUp) ?? ([], []))
            #expect(a.archive.map(\.number) == b.archive.map(\.number), "\(text)")
            #expect(a.archive.map(\.score.bitPattern) == b.archive.map(\.score.bitPattern), "\(text)")
            // The site's ranking reads what the edits changed too (story counts for the feedback, token positions
            // for proximity), so it must rank alike from both.
            let query = try await database.writer.read { db in try SearchTokenizer(db).indexQuery(ParsedQuery.parse(text)) }
            let fromFresh = fresh.matches(query, ranking: .site).sorted { $0.number < $1.number }
            let fromCaughtUp = caughtUp.matches(query, ranking: .site).sorted { $0.number < $1.number }
            #expect(fromFresh.map(\.number) == fromCaughtUp.map(\.number), "site ranking's stories for \(text)")
            #expect(
                fromFresh.map(\.score.bitPattern) == fromCaughtUp.map(\.score.bitPattern), "site scores for \(text)")
        }
    }

    /// The archive index marks a long passage from the story's tokens in memory and reads the text only up to the
    /// passage's end; what a reader sees must be what marking every token of the text gives.
    @Test func passagesMarkedFromTheIndexAreTheTokenizersOwn() async throws {
        let database = try SQLiteDatabase.inMemory()
        var stories = Self.corpus(300, seed: 17)
        // Some bodies where only the standfirst can hold the words, and some with markup to escape.
        for n in stride(from: 0, to: 300, by: 9) { stories[n].body = "Nothing here but filler." }
        for n in stride(from: 4, to: 300, by: 13) { stories[n].body += " <b>5 < 6</b> & \"oil\" prices." }
        _ = try await SQLiteArticleStore(database: database).save(stories)
        let withIndex = SQLiteSearchIndex(database: database, timeZone: .gmt, engine: .archiveIndex)
        let tokenizing = SQLiteSearchIndex(database: database, timeZone: .gmt, engine: .fts5)
        try await withIndex.prepare()
        var compared = 0
        var cut = 0
        for text in Self.queries(250, seed: 23) {
            // Newest first, so both engines put the same stories on the page.
            let request = SearchRequest(text: text, perPage: 50, sort: .newest)
            let marked = try await withIndex.search(request).hits
            let reference = try await tokenizing.search(request).hits
            #expect(marked.map(\.teaser.id) == reference.map(\.teaser.id), "stories for \(text)")
            #expect(marked.map(\.titleHTML) == reference.map(\.titleHTML), "titles for \(text)")
            #expect(marked.map(\.snippetHTML) == reference.map(\.snippetHTML), "passages for \(text)")
            compared += marked.count
            cut += marked.filter { $0.snippetHTML.hasPrefix(Highlight.ellipsis) }.count
        }
        // Enough long passages cut from a story's middle, or the comparison proves little.
        #expect(compared > 2_000)
        #expect(cut > 500)
    }
}

import CaravanCore
@testable import CaravanPostgres
@testable import CaravanSQLite
import CaravanSearch
@testable import CaravanStorage
import CaravanTestSupport
import Foundation
import Testing

/// The behaviour every SearchIndex must have: SQLite with the archive index and with FTS5 alone always, PostgreSQL
/// with the archive index and with `tsvector` alone when CARAVAN_TEST_POSTGRES_URL is set.
@Suite("SearchIndex contract")
struct SearchIndexContractTests {
    /// A store to write the stories and the index to search them, over one database.
    struct Stores: Sendable {
        let articles: any ArticleStore
        let search: any SearchIndex
    }
    typealias Backend = StorageBackend<Stores>

    /// Five hours east of UTC, as in Almaty: a story late on 31 December UTC belongs to the next year.
    static let zone = TimeZone(secondsFromGMT: 5 * 3_600)!

    static let backends = Backend.all(
        sqlite: { Stores(articles: SQLiteArticleStore(database: $0), search: SQLiteSearchIndex(database: $0, timeZone: zone)) },
        sqliteReference: {
            Stores(
                articles: SQLiteArticleStore(database: $0),
                search: SQLiteSearchIndex(database: $0, timeZone: zone, engine: .fts5))
        },
        postgres: {
            Stores(articles: PostgresArticleStore(database: $0), search: PostgresSearchIndex(database: $0, timeZone: zone))
        },
        postgresReference: {
            Stores(
                articles: PostgresArticleStore(database: $0),
                search: PostgresSearchIndex(database: $0, timeZone: zone, engine: .tsvector))
        })

    /// Noon UTC on day `n` after 14 November 2023.
    static func day(_ n: Int) -> Date { Date(timeIntervalSince1970: 1_699_963_200 + Double(n) * 86_400) }

    static func story(
        _ id: String, _ title: String, standfirst: String = "", body: String = "A story from the region.", day: Int = 1,
        countries: [Country] = [.kazakhstan], section: String = "Economy", language: Article.Language = .en,
        status: Article.Status = .published
    ) -> ArticleSubmission {
        ArticleSubmission(
            id: Article.ID(id), title: title, standfirst: standfirst, body: body, published: Self.day(day), section: section,
            countries: countries, tags: [], author: "Aigerim Sadykova", language: language, status: status)
    }

    static func search(_ stores: Stores, _ text: String, configure: (inout SearchRequest) -> Void = { _ in })
        async throws -> SearchResults
    {
        var request = SearchRequest(text: text)
        configure(&request)
        return try await stores.search.search(request)
    }

    static func ids(_ results: SearchResults) -> [String] { results.hits.map(\.teaser.id.rawValue) }

    @Test(arguments: backends) func stemmingFindsAndMarksEveryForm(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            _ = try await stores.articles.save([
                Self.story(
                    "r", "Flights home",
                    body: "The government repatriated 300 citizens. Repatriation flights continue this week."),
                Self.story("o", "Other news", body: "Nothing about flights home here."),
            ])
            let results = try await Self.search(stores, "repatriation")
            #expect(Self.ids(results) == ["r"])
            let snippet = try #require(results.hits.first?.snippetHTML)
            #expect(snippet.contains("<mark>repatriated</mark>"), "\(snippet)")
            #expect(snippet.contains("<mark>Repatriation</mark>"), "\(snippet)")
            #expect(results.emptyReason == nil)
        }
    }

    @Test(arguments: backends) func phrasesExclusionsAlternativesAndPrefixes(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            _ = try await stores.articles.save([
                Self.story("silk", "Trade news", body: "Caravans on the silk road carried tea."),
                Self.story("apart", "Road works", body: "The road was paved; silk came later. Coffee was served."),
                Self.story("coffee", "Markets", body: "Coffee prices rose at the bazaar."),
                Self.story("vote", "Voting", body: "The electoral commission met before the election."),
            ])
            #expect(Self.ids(try await Self.search(stores, "\"silk road\"")) == ["silk"])
            #expect(Set(Self.ids(try await Self.search(stores, "silk -coffee"))) == ["silk"])
            #expect(Set(Self.ids(try await Self.search(stores, "tea OR bazaar"))) == ["silk", "coffee"])
            #expect(Self.ids(try await Self.search(stores, "elect*")) == ["vote"])
            let marked = try #require(try await Self.search(stores, "elect*").hits.first?.snippetHTML)
            #expect(marked.contains("<mark>electoral</mark>") && marked.contains("<mark>election</mark>"), "\(marked)")
            #expect(try await Self.search(stores, "\"road silk\"").hits.isEmpty)
        }
    }

    @Test(arguments: backends) func storiesWithEveryWordComeFirstThenTitlesThenBodies(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            _ = try await stores.articles.save([
                Self.story("title", "Silk prices", body: "Merchants were worried.", day: 3),
                Self.story("both", "Bazaar report", body: "The silk trade grew again this spring.", day: 1),
                Self.story("body", "Bazaar notes", body: "Some silk was sold.", day: 2),
            ])
            let results = try await Self.search(stores, "silk trade")
            #expect(Self.ids(results) == ["both", "title", "body"])
            #expect(results.hits.map(\.matchedAll) == [true, false, false])
            #expect(results.range.total == 3)
            #expect(results.hits.first?.titleHTML == "Bazaar report")
            #expect(results.hits.dropFirst().first?.titleHTML == "<mark>Silk</mark> prices")
            // Newest first still says which stories matched every word.
            let newest = try await Self.search(stores, "silk trade") { $0.sort = .newest }
            #expect(Self.ids(newest) == ["title", "body", "both"])
            #expect(newest.hits.map(\.matchedAll) == [false, false, true])
        }
    }

    @Test(arguments: backends) func filtersAndNewestFirst(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            _ = try await stores.articles.save([
                Self.story("kz", "Water talks", day: 1, countries: [.kazakhstan], section: "Economy"),
                Self.story("kg", "Water levels", day: 5, countries: [.kyrgyzstan], section: "Environment"),
                Self.story("uz", "Water prices", day: 9, countries: [.uzbekistan, .kazakhstan], section: "Economy",
                           language: .ru),
            ])
            #expect(Set(Self.ids(try await Self.search(stores, "water") { $0.country = .kazakhstan })) == ["kz", "uz"])
            #expect(Self.ids(try await Self.search(stores, "water") { $0.section = "environment" }) == ["kg"])
            #expect(Self.ids(try await Self.search(stores, "water") { $0.language = .ru }) == ["uz"])
            // Both bounds are inclusive.
            #expect(
                Set(Self.ids(try await Self.search(stores, "water") { $0.from = Self.day(1); $0.to = Self.day(5) })) == ["kz", "kg"])
            #expect(Self.ids(try await Self.search(stores, "water") { $0.sort = .newest }) == ["uz", "kg", "kz"])
            #expect(try await Self.search(stores, "water") { $0.section = "nowhere" }.range.total == 0)
        }
    }

    @Test(arguments: backends) func filtersAndFacetsFollowAnEditOnTheNextSearch(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            _ = try await stores.articles.save([
                Self.story("moved", "Water talks", day: 1, countries: [.kazakhstan], section: "Economy"),
                Self.story("stays", "Water levels", day: 2, countries: [.kyrgyzstan], section: "Economy"),
            ])
            #expect(Self.ids(try await Self.search(stores, "water") { $0.country = .kazakhstan }) == ["moved"])
            // Same words, new countries, section and date: only what filters and facets read has changed.
            _ = try await stores.articles.save([
                Self.story("moved", "Water talks", day: 400, countries: [.tajikistan], section: "Politics")
            ])
            #expect(try await Self.search(stores, "water") { $0.country = .kazakhstan }.hits.isEmpty)
            #expect(Self.ids(try await Self.search(stores, "water") { $0.country = .tajikistan }) == ["moved"])
            #expect(Self.ids(try await Self.search(stores, "water") { $0.section = "politics" }) == ["moved"])
            let all = try await Self.search(stores, "water")
            #expect(all.countryFacets == [.tajikistan: 1, .kyrgyzstan: 1])
            #expect(all.yearFacets == [2023: 1, 2024: 1])
        }
    }

    @Test(arguments: backends) func facetsCountTheWholeQueryInTheNewsroomsYear(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let lateOnNewYearsEve = Date(timeIntervalSince1970: 1_704_065_400)  // 2023-12-31 23:30 UTC, 04:30 in Almaty
            var late = Self.story("late", "Cotton late", countries: [.kazakhstan, .uzbekistan])
            late.published = lateOnNewYearsEve
            _ = try await stores.articles.save([
                Self.story("a", "Cotton one", day: 1, countries: [.kazakhstan]),
                Self.story("b", "Cotton two", day: 800, countries: [.tajikistan]),
                late,
                Self.story("x", "Wheat", day: 2, countries: [.afghanistan]),
            ])
            let results = try await Self.search(stores, "cotton") { $0.perPage = 1 }
            #expect(results.range.total == 3)
            #expect(results.hits.count == 1)
            #expect(results.countryFacets == [.kazakhstan: 2, .uzbekistan: 1, .tajikistan: 1])
            #expect(results.yearFacets == [2023: 1, 2024: 1, 2026: 1])
        }
    }

    @Test(arguments: backends) func exactRangesAndPagesPastTheEnd(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            _ = try await stores.articles.save((1...23).map { Self.story("s\($0)", "Harvest \($0)", day: $0) })
            let last = try await Self.search(stores, "harvest") { $0.page = 3; $0.sort = .newest }
            #expect(last.range.total == 23)
            #expect((last.range.first, last.range.last) == (21, 23))
            #expect(Self.ids(last) == ["s3", "s2", "s1"])
            let past = try await Self.search(stores, "harvest") { $0.page = 4 }
            #expect(past.range.total == 23 && past.range.isPastEnd && past.hits.isEmpty)
            #expect(past.countryFacets == [.kazakhstan: 23])
        }
    }

    @Test(arguments: backends) func markupInStoriesIsShownNeverRun(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            _ = try await stores.articles.save([
                Self.story(
                    "x", "Why <script> tags & \"quotes\" matter",
                    body: "Editors found `<script>alert(1)</script>` in a comment about tags on the page.")
            ])
            let hit = try #require(try await Self.search(stores, "tags").hits.first)
            #expect(hit.titleHTML == "Why &lt;script&gt; <mark>tags</mark> &amp; &quot;quotes&quot; matter")
            #expect(!hit.snippetHTML.contains("<script"), "\(hit.snippetHTML)")
            #expect(hit.snippetHTML.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(hit.snippetHTML)")
            #expect(hit.snippetHTML.contains("<mark>tags</mark>"), "\(hit.snippetHTML)")
            // Words after something shaped like a tag are indexed like any others.
            #expect(Self.ids(try await Self.search(stores, "quotes matter")) == ["x"])
            #expect(Self.ids(try await Self.search(stores, "alert comment")) == ["x"])
        }
    }

    @Test(arguments: backends) func passagesComeFromTheStandfirstWhenOnlyItMatches(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            _ = try await stores.articles.save([
                Self.story("s", "Budget", standfirst: "Parliament passed the tariff bill.", body: "Deputies voted late."),
                Self.story("t", "Tariff talks", body: "Ministers met in Tashkent."),
            ])
            let results = try await Self.search(stores, "tariff")
            let bySlug = Dictionary(uniqueKeysWithValues: results.hits.map { ($0.teaser.id.rawValue, $0) })
            #expect(bySlug["s"]?.snippetHTML == "Parliament passed the <mark>tariff</mark> bill.")
            // A title-only match shows the body as it begins, unmarked.
            let titleOnly = try #require(bySlug["t"])
            #expect(titleOnly.titleHTML == "<mark>Tariff</mark> talks")
            #expect(titleOnly.snippetHTML.hasPrefix("Ministers met in Tashkent") && !titleOnly.snippetHTML.contains("<mark>"))
        }
    }

    /// Teasers carry a story's countries in the order the newsroom gave them (the first is the story's main country),
    /// in search results and in listings alike.
    @Test(arguments: backends) func teasersKeepTheNewsroomsOrderOfCountries(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let orders: [[Country]] = [
                [.uzbekistan, .kazakhstan, .tajikistan], [.turkmenistan], [], [.kyrgyzstan, .region, .kazakhstan],
            ]
            _ = try await stores.articles.save(
                orders.enumerated().map { n, countries in
                    Self.story("c\(n)", "Cotton harvest \(n)", day: n + 1, countries: countries)
                })
            let hits = try await Self.search(stores, "cotton") { $0.sort = .newest }.hits
            #expect(hits.map(\.teaser.countries) == orders.reversed())
            let listed = try #require(try await stores.articles.listing(.latest, page: 1, perPage: 10))
            #expect(listed.teasers.map(\.countries) == orders.reversed())
        }
    }

    @Test(arguments: backends) func withoutHighlightsTitlesAndExcerptsArePlain(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            _ = try await stores.articles.save([Self.story("a", "Grain & <rice>", body: "Grain exports grew.")])
            let results = try await Self.search(stores, "grain") { $0.highlights = false }
            let hit = try #require(results.hits.first)
            #expect(hit.titleHTML == "Grain &amp; &lt;rice&gt;")
            #expect(hit.snippetHTML == hit.teaser.excerpt)
            #expect(hit.matchedAll)
        }
    }

    @Test(arguments: backends) func longBodiesAreCutToAPassageAroundTheMatch(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let filler = Array(repeating: "Plain words fill this sentence.", count: 20).joined(separator: " ")
            _ = try await stores.articles.save([
                Self.story("long", "Report", body: filler + " The dam was finished in May. " + filler)
            ])
            let snippet = try #require(try await Self.search(stores, "dam").hits.first?.snippetHTML)
            #expect(snippet.contains("<mark>dam</mark>"))
            #expect(snippet.hasPrefix(Highlight.ellipsis) && snippet.hasSuffix(Highlight.ellipsis), "\(snippet)")
            let words = snippet.split(separator: " ").count
            #expect((15...40).contains(words), "\(words) words: \(snippet)")
        }
    }

    @Test(arguments: backends) func didYouMeanDrawsOnPublishedWords(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            _ = try await stores.articles.save([
                Self.story("e", "Election day", body: "The election results came in."),
                Self.story("d", "Draft", body: "A referendum is planned.", status: .draft),
            ])
            let misspelt = try await Self.search(stores, "electon")
            #expect(misspelt.range.total == 0)
            #expect(misspelt.suggestion == "election")
            #expect(try await Self.search(stores, "Electon results").suggestion == "Election results")
            // Words only in drafts are not offered.
            #expect(try await Self.search(stores, "referendun").suggestion == nil)
            #expect(try await Self.search(stores, "xqzv").suggestion == nil)
        }
    }

    @Test(arguments: backends) func unpublishedStoriesAreAbsent(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            _ = try await stores.articles.save([
                Self.story("p", "Zarafshan river", day: 1),
                Self.story("d", "Zarafshan draft", day: 2, status: .draft),
                Self.story("u", "Zarafshan valley", day: 3),
            ])
            #expect(Set(Self.ids(try await Self.search(stores, "zarafshan"))) == ["p", "u"])
            _ = try await stores.articles.save([Self.story("u", "Zarafshan valley", day: 3, status: .unpublished)])
            let results = try await Self.search(stores, "zarafshan")
            #expect(Self.ids(results) == ["p"])
            #expect(results.range.total == 1 && results.countryFacets == [.kazakhstan: 1])
            #expect(try await Self.search(stores, "valley").hits.isEmpty)
            #expect(try await Self.search(stores, "valey").suggestion == nil, "an unpublished story's words leave the vocabulary")
        }
    }

    @Test(arguments: backends) func hostileQueriesNeverThrow(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            _ = try await stores.articles.save([
                Self.story("a", "Silk road", body: "Tea, covid-19 and the U.S. in Қазақстан; café at the bazaar."),
            ])
            for text in HostileQueries.all {
                let results = try await Self.search(stores, text) { $0.country = .kazakhstan }
                let parsed = ParsedQuery.parse(text)
                #expect(results.emptyReason == parsed.emptyReason, "\(text.debugDescription)")
                #expect(results.hits.allSatisfy { !$0.snippetHTML.contains("<script") && !$0.titleHTML.contains("<script") })
            }
            #expect(Self.ids(try await Self.search(stores, "covid-19")) == ["a"])
            #expect(Self.ids(try await Self.search(stores, "U.S.")) == ["a"])
            #expect(Self.ids(try await Self.search(stores, "Қазақстан")) == ["a"])
        }
    }
}

/// How PostgreSQL's `ts_headline` output becomes a passage like FTS5's `snippet()`.
@Suite("PostgreSQL search passages")
struct PostgresPassageTests {
    @Test(
        arguments: [
            ("", "", "", nil),
            ("", nil, nil, nil),
            ("whole text", "", "", "whole text"),
            ("middle", nil, nil, "…middle…"),
            ("start of it", "", nil, "start of it…"),
            ("end of it", nil, ".", "…end of it."),
            ("quoted", "« ", " ».", "« quoted »."),
            ("a \u{E002}b\u{E001} c", "", "\u{E002}", "a <b\u{E001} c<"),
        ] as [(String, String?, String?, String?)])
    func passage(headline: String, lead: String?, trail: String?, expected: String?) {
        #expect(PostgresSearchIndex.passage(headline, lead: lead, trail: trail) == expected)
    }
}

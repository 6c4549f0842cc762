import CaravanCore
@testable import CaravanPostgres
import CaravanSearch
@testable import CaravanStorage
import Foundation
import Testing

@Suite("Archive index freshness")
struct ArchiveIndexFreshnessTests {
    @Test(arguments: [
        (nil, 0, ArchiveIndexFreshness.catchUp),
        (nil, 500, .catchUp),
        (nil, 501, .rebuild),
        (10, 10, .level),
        (10, 11, .catchUp),
        (10, 510, .catchUp),
        (10, 511, .rebuild),
        (11, 10, .aheadOfSnapshot),
    ] as [(Int64?, Int64, ArchiveIndexFreshness)])
    func freshness(_ indexed: Int64?, _ sequence: Int64, _ expected: ArchiveIndexFreshness) {
        #expect(ArchiveIndexFreshness(indexed: indexed, sequence: sequence) == expected)
    }
}

/// Two instances of Caravan on one PostgreSQL, each with its archive index in memory.
@Suite("PostgreSQL archive index", .enabled(if: PostgresTestServer.isAvailable))
struct PostgresArchiveIndexTests {
    static let utc = TimeZone(identifier: "UTC")!

    static func story(_ id: String, _ title: String, body: String, countries: [Country] = [.kazakhstan])
        -> ArticleSubmission
    {
        ArticleSubmission(
            id: Article.ID(id), title: title, standfirst: "", body: body,
            published: Date(timeIntervalSince1970: 1_700_000_000), section: "Economy", countries: countries, tags: [],
            author: "Aigerim Sadykova", language: .en, status: .published)
    }

    static func ids(_ results: SearchResults) -> [String] { results.hits.map(\.teaser.id.rawValue) }

    @Test func anEditThroughOneInstanceIsFoundByTheNextSearchOnTheOther() async throws {
        try await PostgresTestServer.withEmptyDatabase { url in
            try await PostgresDatabase.withDatabase(url: url) { first in
                try await PostgresDatabase.withDatabase(url: url) { second in
                    let writer = PostgresArticleStore(database: first)
                    _ = try await writer.save([
                        Self.story("harvest", "Wheat harvest on the steppe", body: "Farmers near Kostanay bring in wheat."),
                        Self.story("dam", "A dam on the Naryn", body: "Engineers inspect the Kambarata dam."),
                    ])
                    let here = PostgresSearchIndex(database: first, timeZone: Self.utc)
                    let there = PostgresSearchIndex(database: second, timeZone: Self.utc)
                    try await here.prepare()
                    try await there.prepare()
                    #expect(Self.ids(try await there.search(SearchRequest(text: "wheat"))) == ["harvest"])

                    // A new story, an edited one and a withdrawn one, all written through the first instance.
                    _ = try await writer.save([
                        Self.story("saxaul", "Saxaul planted on the dry seabed", body: "Foresters plant saxaul."),
                        Self.story("harvest", "Barley harvest on the steppe", body: "Farmers near Kostanay bring in barley."),
                    ])
                    var withdrawn = Self.story("dam", "A dam on the Naryn", body: "Engineers inspect the Kambarata dam.")
                    withdrawn.status = .draft
                    _ = try await writer.save([withdrawn])

                    let planted = try await there.search(SearchRequest(text: "saxaul"))
                    #expect(Self.ids(planted) == ["saxaul"])
                    #expect(planted.hits.first?.titleHTML == "<mark>Saxaul</mark> planted on the dry seabed")
                    #expect(Self.ids(try await there.search(SearchRequest(text: "wheat"))).isEmpty)
                    #expect(Self.ids(try await there.search(SearchRequest(text: "barley"))) == ["harvest"])
                    #expect(Self.ids(try await there.search(SearchRequest(text: "dam"))).isEmpty)
                    // A change of countries alone, which leaves the text as it was, reaches the filters.
                    _ = try await writer.save([
                        Self.story("saxaul", "Saxaul planted on the dry seabed", body: "Foresters plant saxaul.",
                            countries: [.uzbekistan])
                    ])
                    let inUzbekistan = try await there.search(SearchRequest(text: "saxaul", country: .uzbekistan))
                    #expect(Self.ids(inUzbekistan) == ["saxaul"])
                    #expect(inUzbekistan.countryFacets == [.uzbekistan: 1])
                    // Every one of those searches came from the index in memory, none from tsvector.
                    #expect(there.archive.answers == 6)
                    #expect(there.archive.isReady)
                }
            }
        }
    }

    @Test func aBulkImportIsSearchedThroughTsvectorUntilTheIndexIsRebuilt() async throws {
        try await PostgresTestServer.withFreshDatabase { database in
            let articles = PostgresArticleStore(database: database)
            let search = PostgresSearchIndex(database: database, timeZone: Self.utc)
            _ = try await articles.save([Self.story("first", "Cotton in Fergana", body: "Pickers in the valley.")])
            try await search.prepare()
            let many = (0...ArchiveIndexFreshness.catchUpLimit).map {
                Self.story("bulk-\($0)", "Melon market \($0)", body: "Melons from Chardzhou, lot \($0).")
            }
            _ = try await articles.save(many)
            // Too many changes to catch up inside a search: tsvector answers, and finds them all.
            let meanwhile = try await search.search(SearchRequest(text: "melon"))
            #expect(meanwhile.range.total == many.count)
            #expect(search.archive.answers == 0)
            try await search.prepare()
            let after = try await search.search(SearchRequest(text: "melons"))
            #expect(after.range.total == many.count)
            #expect(search.archive.answers == 1)
        }
    }
}

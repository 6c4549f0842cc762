import CaravanCore
import CaravanPostgres
import CaravanSQLite
import CaravanStorage
import Foundation
import Testing

/// The behaviour every ArticleStore must have. Each test runs against every implementation available.
@Suite("ArticleStore contract")
struct ArticleStoreContractTests {
    typealias Backend = StorageBackend<any ArticleStore>

    /// The stores under test: SQLite always, PostgreSQL when CARAVAN_TEST_POSTGRES_URL names a server.
    static let backends = Backend.all(
        sqlite: { SQLiteArticleStore(database: $0, clock: { Date(timeIntervalSince1970: 1_750_000_000) }) },
        postgres: { PostgresArticleStore(database: $0, clock: { Date(timeIntervalSince1970: 1_750_000_000) }) })

    static func story(_ id: String, title: String? = nil, day: Int = 1, countries: [Country] = [.kazakhstan],
                      tags: [String] = ["trade"], section: String = "Economy", author: String = "Aigerim Sadykova",
                      status: Article.Status = .published, slug: String? = nil) -> ArticleSubmission {
        ArticleSubmission(
            id: Article.ID(id), title: title ?? "Story \(id)", standfirst: "", body: "Body of \(id).\n\nMore text.",
            published: Date(timeIntervalSince1970: 1_700_000_000 + Double(day) * 86_400), section: section,
            countries: countries, tags: tags, author: author, slug: slug, status: status)
    }

    @Test(arguments: backends) func savedStoryReadsBackWithEverything(_ backend: Backend) async throws {
        try await backend.withStores { store in
            let summary = try await store.save([Self.story("a", title: "Rogun dam", countries: [.tajikistan, .uzbekistan], tags: ["energy", "water"])])
            #expect(summary == SaveSummary(inserted: 1))
            let article = try #require(try await store.article(slug: "rogun-dam"))
            #expect(article.id == "a")
            #expect(article.countries == [.tajikistan, .uzbekistan])
            #expect(article.tags.map(\.slug) == ["energy", "water"])
            #expect(article.section == Section(name: "Economy", slug: "economy"))
            #expect(article.author == Byline(name: "Aigerim Sadykova", slug: "aigerim-sadykova"))
            #expect(article.bodyHTML == "<p>Body of a.</p>\n<p>More text.</p>\n")
            #expect(article.excerpt == "Body of a. More text.")
            #expect(article.updated == article.published, "a new story has not been corrected")
        }
    }

    /// A story saved again with other countries and tags keeps exactly the new ones, in their new order, and a
    /// story saved beside it in the same batch keeps its own.
    @Test(arguments: backends) func savedAgainTheCountriesAndTagsAreTheNewOnes(_ backend: Backend) async throws {
        try await backend.withStores { store in
            _ = try await store.save([
                Self.story("a", title: "Rogun dam", countries: [.tajikistan, .uzbekistan], tags: ["energy", "water"]),
                Self.story("b", title: "Cotton", countries: [.uzbekistan], tags: ["cotton"]),
            ])
            _ = try await store.save([
                Self.story("a", title: "Rogun dam", countries: [.uzbekistan, .kazakhstan], tags: ["water", "trade", "Water"]),
                Self.story("c", title: "Grain", countries: [.kazakhstan, .kazakhstan], tags: ["grain"]),
            ])
            let a = try #require(try await store.article(slug: "rogun-dam"))
            #expect(a.countries == [.uzbekistan, .kazakhstan])
            #expect(a.tags.map(\.slug) == ["water", "trade"])
            let b = try #require(try await store.article(slug: "cotton"))
            #expect(b.countries == [.uzbekistan] && b.tags.map(\.slug) == ["cotton"])
            let c = try #require(try await store.article(slug: "grain"))
            #expect(c.countries == [.kazakhstan], "a country given twice is kept once")
        }
    }

    @Test(arguments: backends) func upsertByIdUpdatesInPlaceAndKeepsTheSlug(_ backend: Backend) async throws {
        try await backend.withStores { store in
            _ = try await store.save([Self.story("a", title: "First title")])
            let again = try await store.save([Self.story("a", title: "First title")])
            #expect(again == SaveSummary(updated: 1, unchanged: 1))
            let changed = try await store.save([Self.story("a", title: "Corrected title")])
            #expect(changed == SaveSummary(updated: 1))
            #expect(try await store.count() == 1)
            let article = try #require(try await store.article(slug: "first-title"))
            #expect(article.title == "Corrected title")
            #expect(article.updated == Date(timeIntervalSince1970: 1_750_000_000), "a correction carries the time it was saved")
        }
    }

    @Test(arguments: backends) func slugsNeverCollide(_ backend: Backend) async throws {
        try await backend.withStores { store in
            _ = try await store.save([Self.story("a", title: "Same"), Self.story("b", title: "Same"), Self.story("c", slug: "same")])
            #expect(try await store.article(slug: "same")?.id == "a")
            #expect(try await store.article(slug: "same-2")?.id == "b")
            #expect(try await store.article(slug: "same-3")?.id == "c")
        }
    }

    /// A batch of new stories, stored ones and one given twice: each saved as if one at a time, in the batch's order.
    @Test(arguments: backends) func oneBatchMixesNewStoredAndRepeatedStories(_ backend: Backend) async throws {
        try await backend.withStores { store in
            _ = try await store.save([Self.story("old", title: "Water talks"), Self.story("moved", slug: "first-address")])
            _ = try await store.save([Self.story("moved", slug: "second-address")])
            let summary = try await store.save([
                Self.story("n1", title: "Water talks"),
                Self.story("old", title: "Water talks resume"),
                Self.story("n1", title: "Water talks, corrected"),
                Self.story("n2", title: "Water talks"),
                Self.story("n3", slug: "second-address"),
            ])
            #expect(summary == SaveSummary(inserted: 3, updated: 2))
            #expect(try await store.article(slug: "water-talks")?.title == "Water talks resume")
            #expect(try await store.article(slug: "water-talks-2")?.title == "Water talks, corrected")
            #expect(try await store.article(slug: "water-talks-3")?.id == "n2")
            // A slug asked for that a stored story holds: the next one.
            #expect(try await store.article(slug: "second-address")?.id == "moved")
            #expect(try await store.article(slug: "second-address-2")?.id == "n3")
            #expect(try await store.count() == 5)
        }
    }

    /// A story given twice with a new slug takes it before a later story asks for the same words: the batch's order.
    @Test(arguments: backends) func aBatchIsSavedInItsOwnOrder(_ backend: Backend) async throws {
        try await backend.withStores { store in
            _ = try await store.save([
                Self.story("a", slug: "first"), Self.story("a", slug: "second"), Self.story("b", title: "Second"),
            ])
            #expect(try await store.article(slug: "second")?.id == "a")
            #expect(try await store.article(slug: "second-2")?.id == "b")
        }
    }

    /// More new stories in one save than one statement carries, two of them after the same slug across the cut.
    @Test(arguments: backends) func aLargeBatchKeepsEveryStoryAndSlug(_ backend: Backend) async throws {
        try await backend.withStores { store in
            let stories = (0..<1_005).map { n in Self.story("s\(n)", title: (999...1_000).contains(n) ? "Boundary" : nil) }
            let summary = try await store.save(stories)
            #expect(summary == SaveSummary(inserted: 1_005))
            #expect(try await store.count() == 1_005)
            #expect(try await store.article(slug: "boundary")?.id == "s999")
            #expect(try await store.article(slug: "boundary-2")?.id == "s1000")
            #expect(try await store.article(slug: "story-s1004")?.id == "s1004")
        }
    }

    @Test(arguments: backends) func listingsAreNewestFirstWithExactRanges(_ backend: Backend) async throws {
        try await backend.withStores { store in
            _ = try await store.save((1...23).map { Self.story("s\($0)", day: $0) })
            let first = try #require(try await store.listing(.latest, page: 1, perPage: 10))
            #expect(first.range.total == 23)
            #expect(first.teasers.map(\.id.rawValue) == (14...23).reversed().map { "s\($0)" })
            let last = try #require(try await store.listing(.country(.kazakhstan), page: 3, perPage: 10))
            #expect(last.teasers.count == 3)
            #expect((last.range.first, last.range.last) == (21, 23))
            let past = try #require(try await store.listing(.section(slug: "economy"), page: 4, perPage: 10))
            #expect(past.range.isPastEnd && past.teasers.isEmpty)
        }
    }

    @Test(arguments: backends) func listingsByEveryTaxon(_ backend: Backend) async throws {
        try await backend.withStores { store in
            _ = try await store.save([
                Self.story("a", countries: [.kyrgyzstan], tags: ["water"], section: "Environment", author: "Bakyt Osmonov"),
                Self.story("b", countries: [.kazakhstan], tags: ["trade"], section: "Economy", author: "Timur Yusupov"),
            ])
            #expect(try await store.listing(.country(.kyrgyzstan), page: 1, perPage: 10)?.teasers.map(\.id) == ["a"])
            #expect(try await store.listing(.tag(slug: "water"), page: 1, perPage: 10)?.name == "water")
            #expect(try await store.listing(.section(slug: "economy"), page: 1, perPage: 10)?.teasers.map(\.id) == ["b"])
            #expect(try await store.listing(.author(slug: "timur-yusupov"), page: 1, perPage: 10)?.name == "Timur Yusupov")
            #expect(try await store.listing(.tag(slug: "nope"), page: 1, perPage: 10) == nil)
            #expect(try await store.listing(.country(.afghanistan), page: 1, perPage: 10)?.range.total == 0)
            #expect(try await store.sections().map(\.name) == ["Economy", "Environment"])
        }
    }

    @Test(arguments: backends) func unpublishedStoriesStayOffPublicPages(_ backend: Backend) async throws {
        try await backend.withStores { store in
            _ = try await store.save([Self.story("d", title: "Draft", status: .draft), Self.story("p", title: "Live")])
            #expect(try await store.article(slug: "draft") == nil)
            #expect(try await store.article(id: "d")?.status == .draft)
            #expect(try await store.listing(.latest, page: 1, perPage: 10)?.range.total == 1)
        }
    }

    @Test(arguments: backends) func relatedStoriesShareTagsAndCountries(_ backend: Backend) async throws {
        try await backend.withStores { store in
            _ = try await store.save([
                Self.story("me", countries: [.uzbekistan], tags: ["cotton", "trade"]),
                Self.story("both", countries: [.uzbekistan], tags: ["cotton"]),
                Self.story("tag", countries: [.kazakhstan], tags: ["trade"]),
                Self.story("country", countries: [.uzbekistan], tags: ["media"]),
                Self.story("none", countries: [.afghanistan], tags: ["health"]),
            ])
            let me = try #require(try await store.article(id: "me"))
            let related = try await store.related(to: me, limit: 3).map(\.id.rawValue)
            #expect(related == ["both", "tag", "country"])
        }
    }

    @Test(arguments: backends) func latestByCountryGivesEachCountryItsNewestPublishedStories(_ backend: Backend) async throws {
        try await backend.withStores { store in
            _ = try await store.save([
                Self.story("kz1", day: 1, countries: [.kazakhstan]),
                Self.story("both", day: 2, countries: [.kazakhstan, .uzbekistan]),
                Self.story("kz3", day: 3, countries: [.kazakhstan]),
                Self.story("uz-draft", day: 4, countries: [.uzbekistan], status: .draft),
            ])
            let blocks = try await store.latestByCountry(limit: 2)
            #expect(blocks[.kazakhstan]?.map(\.id.rawValue) == ["kz3", "both"])
            #expect(blocks[.uzbekistan]?.map(\.id.rawValue) == ["both"])
            #expect(blocks[.uzbekistan]?.first?.countries == [.kazakhstan, .uzbekistan])
            #expect(blocks[.tajikistan] == nil, "a country without stories has no block")
        }
    }

    @Test(arguments: backends) func contentVersionGrowsWithEveryChange(_ backend: Backend) async throws {
        try await backend.withStores { store in
            let before = try await store.contentVersion()
            _ = try await store.save([Self.story("a")])
            let after = try await store.contentVersion()
            #expect(after > before)
            _ = try await store.save([Self.story("a")])
            #expect(try await store.contentVersion() == after, "an unchanged re-save is not a change")
        }
    }

    @Test(arguments: backends) func sitemapEntriesListEveryPublishedStoryOnceInStableOrder(_ backend: Backend) async throws {
        try await backend.withStores { store in
            _ = try await store.save((1...7).map { Self.story("s\($0)", day: 8 - $0) } + [Self.story("d", status: .draft)])
            #expect(try await store.publishedCount() == 7)
            let first = try await store.sitemapEntries(offset: 0, limit: 3)
            let rest = try await store.sitemapEntries(offset: 3, limit: 10)
            #expect((first + rest).map(\.id.rawValue) == (1...7).map { "s\($0)" }, "stored order, drafts left out")
            #expect(first.first?.slug == "story-s1")
            #expect(first.first?.updated == first.first?.published)
            _ = try await store.save([Self.story("s8", day: 20)])
            #expect(try await store.sitemapEntries(offset: 0, limit: 3) == first, "a new story does not move earlier pages")
        }
    }

    @Test(arguments: backends) func sitemapEntriesByPublicationWindow(_ backend: Backend) async throws {
        try await backend.withStores { store in
            _ = try await store.save([Self.story("old", day: 1), Self.story("mid", day: 3), Self.story("new", day: 4),
                                      Self.story("later", day: 9), Self.story("draft", day: 4, status: .draft)])
            let from = Date(timeIntervalSince1970: 1_700_000_000 + 2 * 86_400)
            let to = Date(timeIntervalSince1970: 1_700_000_000 + 4 * 86_400)
            let recent = try await store.sitemapEntries(publishedFrom: from, to: to, limit: 10)
            #expect(recent.map(\.id.rawValue) == ["new", "mid"])
            #expect(recent.first?.title == "Story new")
            #expect(recent.first?.language == .en)
            #expect(try await store.sitemapEntries(publishedFrom: from, to: to, limit: 1).count == 1)
        }
    }

    /// Five published stories and a draft with every facet the content API filters on.
    static func querySample() -> [ArticleSubmission] {
        var russian = story("ru", day: 5, countries: [.kyrgyzstan, .kazakhstan], tags: ["water"], section: "Environment",
                            author: "Bakyt Osmonov")
        russian.language = .ru
        return [
            story("a", day: 1, countries: [.kazakhstan], tags: ["trade", "oil"], section: "Economy", author: "Timur Yusupov"),
            story("b", day: 2, countries: [.uzbekistan], tags: ["trade"], section: "Economy", author: "Aigerim Sadykova"),
            story("c", day: 3, countries: [.tajikistan], tags: ["water"], section: "Environment", author: "Timur Yusupov"),
            story("d", day: 4, countries: [.kazakhstan, .uzbekistan], tags: ["rail"], section: "Politics"),
            russian,
            story("draft", day: 6, countries: [.kazakhstan], tags: ["trade"], section: "Economy", status: .draft),
        ]
    }

    @Test(arguments: backends) func articleQueriesFilterOnEveryFacetAndLeaveDraftsOut(_ backend: Backend) async throws {
        try await backend.withStores { store in
            _ = try await store.save(Self.querySample())
            func ids(_ query: ArticleQuery) async throws -> [String] {
                try await store.articles(query).articles.map(\.id.rawValue)
            }
            #expect(try await ids(ArticleQuery()) == ["ru", "d", "c", "b", "a"])
            #expect(try await ids(ArticleQuery(country: .kazakhstan)) == ["ru", "d", "a"])
            #expect(try await ids(ArticleQuery(sectionSlug: "economy")) == ["b", "a"])
            #expect(try await ids(ArticleQuery(tagSlug: "water")) == ["ru", "c"])
            #expect(try await ids(ArticleQuery(authorSlug: "timur-yusupov")) == ["c", "a"])
            #expect(try await ids(ArticleQuery(language: .ru)) == ["ru"])
            #expect(try await ids(ArticleQuery(country: .kazakhstan, tagSlug: "trade", language: .en)) == ["a"])
            #expect(try await ids(ArticleQuery(sectionSlug: "no-such-section")).isEmpty)
            let day2 = Date(timeIntervalSince1970: 1_700_000_000 + 2 * 86_400)
            let day4 = Date(timeIntervalSince1970: 1_700_000_000 + 4 * 86_400)
            #expect(try await ids(ArticleQuery(publishedFrom: day2, publishedTo: day4)) == ["d", "c", "b"], "both bounds are inclusive")
            #expect(try await ids(ArticleQuery(publishedFrom: day4)) == ["ru", "d"])
            #expect(try await ids(ArticleQuery(publishedTo: day2)) == ["b", "a"])
        }
    }

    @Test(arguments: backends) func articleQueriesSortAndPageWithAnExactTotal(_ backend: Backend) async throws {
        try await backend.withStores { store in
            _ = try await store.save(Self.querySample())
            let oldest = try await store.articles(ArticleQuery(sort: .oldest, page: 2, perPage: 2))
            #expect(oldest.articles.map(\.id.rawValue) == ["c", "d"])
            #expect(oldest.total == 5)
            #expect((oldest.range.page, oldest.range.pages, oldest.range.first, oldest.range.last) == (2, 3, 3, 4))
            let last = try await store.articles(ArticleQuery(page: 3, perPage: 2))
            #expect(last.articles.map(\.id.rawValue) == ["a"])
            let past = try await store.articles(ArticleQuery(page: 4, perPage: 2))
            #expect(past.range.isPastEnd && past.articles.isEmpty && past.total == 5)
            let empty = try await store.articles(ArticleQuery(country: .afghanistan))
            #expect(empty.total == 0 && empty.range.pages == 1 && !empty.range.isPastEnd)
        }
    }

    @Test(arguments: backends) func articleQueriesReturnWholeStories(_ backend: Backend) async throws {
        try await backend.withStores { store in
            _ = try await store.save(Self.querySample())
            let russian = try #require(try await store.articles(ArticleQuery(language: .ru)).articles.first)
            #expect(russian == (try await store.article(slug: "story-ru")), "a query and a lookup by slug agree")
            #expect(russian.countries == [.kyrgyzstan, .kazakhstan])
            #expect(russian.tags.map(\.name) == ["water"])
            #expect(russian.section?.name == "Environment")
            #expect(russian.author?.name == "Bakyt Osmonov")
            #expect(russian.bodyHTML == "<p>Body of ru.</p>\n<p>More text.</p>\n")
        }
    }
}

import CaravanCore
import Foundation

/// What a batch of saves did.
public struct SaveSummary: Sendable, Hashable {
    public var inserted = 0
    public var updated = 0
    /// Stories whose id existed and whose content was the same: counted in `updated`, but nothing was written.
    public var unchanged = 0
    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
    }
}

/// Where stories live. Every implementation passes the same contract tests.
public protocol ArticleStore: Sendable {
    /// Inserts or updates by id, all in one transaction; the search index follows in the same transaction.
    func save(_ submissions: [ArticleSubmission]) async throws -> SaveSummary
    /// A published story by its slug.
    func article(slug: String) async throws -> Article?
    /// Any story by id, whatever its status (for the newsroom and tests).
    func article(id: Article.ID) async throws -> Article?
    /// The slugs of the stories with these ids, whatever their status; an unknown id is left out.
    func slugs(of ids: [Article.ID]) async throws -> [Article.ID: String]
    /// A page of published stories, newest first; nil when the section, tag or author does not exist.
    func listing(_ listing: Listing, page: Int, perPage: Int) async throws -> ListingPage?
    /// A page of published stories matching every filter of the query; the total and the page come from one snapshot.
    func articles(_ query: ArticleQuery) async throws -> ArticleQueryPage
    /// Stories that share countries and tags with this one, most shared first.
    func related(to article: Article, limit: Int) async throws -> [Teaser]
    /// The newest published stories per country, for the home page blocks.
    func latestByCountry(limit: Int) async throws -> [Country: [Teaser]]
    /// Sections that have published stories, by name.
    func sections() async throws -> [Section]
    /// How many stories are stored, whatever their status.
    func count() async throws -> Int
    /// A number that grows with every change to any story: caches compare it to know they are stale.
    func contentVersion() async throws -> Int64
    /// How many stories are published (what the sitemaps list).
    func publishedCount() async throws -> Int
    /// Published stories in the order they were first stored, so a sitemap page keeps its stories as new ones arrive.
    func sitemapEntries(offset: Int, limit: Int) async throws -> [SitemapEntry]
    /// Published stories with a publication time in `from...to`, newest first (the news sitemap).
    func sitemapEntries(publishedFrom from: Date, to: Date, limit: Int) async throws -> [SitemapEntry]
}

/// What crawlers need to know of a published story: where it is, when it changed, and for news, what it is.
public struct SitemapEntry: Sendable, Hashable {
    public var id: Article.ID
    public var slug: String
    public var title: String
    public var language: Article.Language
    public var published: Date?
    public var updated: Date

    public init(id: Article.ID, slug: String, title: String, language: Article.Language, published: Date?, updated: Date) {
        self.id = id
        self.slug = slug
        self.title = title
        self.language = language
        self.published = published
        self.updated = updated
    }
}

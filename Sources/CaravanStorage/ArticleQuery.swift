import CaravanCore
import Foundation

/// Which published stories the content API asks for, and which page of them.
public struct ArticleQuery: Sendable, Hashable {
    /// The order of a query's stories; ties fall to the order they were stored so pages never overlap.
    public enum Sort: String, Sendable, Hashable, CaseIterable {
        case newest, oldest
    }

    public var country: Country?
    /// Section, tag and author are matched by slug, the name a URL uses.
    public var sectionSlug: String?
    public var tagSlug: String?
    public var authorSlug: String?
    public var language: Article.Language?
    /// Inclusive bounds on the publication time.
    public var publishedFrom: Date?
    public var publishedTo: Date?
    public var sort: Sort
    public var page: Int
    public var perPage: Int

    public init(
        country: Country? = nil, sectionSlug: String? = nil, tagSlug: String? = nil, authorSlug: String? = nil,
        language: Article.Language? = nil, publishedFrom: Date? = nil, publishedTo: Date? = nil, sort: Sort = .newest,
        page: Int = 1, perPage: Int = 10
    ) {
        self.country = country
        self.sectionSlug = sectionSlug
        self.tagSlug = tagSlug
        self.authorSlug = authorSlug
        self.language = language
        self.publishedFrom = publishedFrom
        self.publishedTo = publishedTo
        self.sort = sort
        self.page = page
        self.perPage = perPage
    }
}

/// One page of a query's stories, whole, with the range that says where the page sits.
public struct ArticleQueryPage: Sendable, Hashable {
    public var range: ResultRange
    public var articles: [Article]

    public init(range: ResultRange, articles: [Article]) {
        self.range = range
        self.articles = articles
    }

    public var total: Int { range.total }
}

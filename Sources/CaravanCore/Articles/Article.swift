import Foundation

/// A story as readers and the newsroom see it.
public struct Article: Sendable, Hashable, Codable, Identifiable {
    public struct ID: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
        CustomStringConvertible
    {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }
        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    public var id: ID
    public var slug: String
    public var title: String
    public var standfirst: String
    /// The Markdown (or plain text) the newsroom wrote.
    public var body: String
    /// The body rendered and sanitised once, when the story is saved.
    public var bodyHTML: String
    /// About 200 characters of plain text for teasers, cut at a word.
    public var excerpt: String
    public var author: Byline?
    public var section: Section?
    public var countries: [Country]
    public var tags: [Tag]
    public var language: Language
    public var status: Status
    public var published: Date?
    public var updated: Date
    /// The picture at the top of the story, if the newsroom set one.
    public var image: FeaturedImage?

    public init(
        id: ID, slug: String, title: String, standfirst: String, body: String, bodyHTML: String,
        excerpt: String, author: Byline?, section: Section?, countries: [Country], tags: [Tag],
        language: Language, status: Status, published: Date?, updated: Date, image: FeaturedImage? = nil
    ) {
        self.id = id
        self.slug = slug
        self.title = title
        self.standfirst = standfirst
        self.body = body
        self.bodyHTML = bodyHTML
        self.excerpt = excerpt
        self.author = author
        self.section = section
        self.countries = countries
        self.tags = tags
        self.language = language
        self.status = status
        self.published = published
        self.updated = updated
        self.image = image
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        case draft, scheduled, published, unpublished
    }

    public enum Language: String, Sendable, Codable, CaseIterable {
        case en, ru
    }
}

/// What a listing shows of a story: enough for a teaser, none of the body.
public struct Teaser: Sendable, Hashable, Codable {
    public var id: Article.ID
    public var slug: String
    public var title: String
    public var excerpt: String
    public var published: Date?
    public var section: Section?
    public var countries: [Country]
    public var author: Byline?

    public init(
        id: Article.ID, slug: String, title: String, excerpt: String, published: Date?, section: Section?,
        countries: [Country], author: Byline?
    ) {
        self.id = id
        self.slug = slug
        self.title = title
        self.excerpt = excerpt
        self.published = published
        self.section = section
        self.countries = countries
        self.author = author
    }
}

/// A named thing with a URL slug: sections, tags and bylines share this shape.
public protocol Taxon: Sendable, Hashable, Codable {
    var name: String { get }
    var slug: String { get }
    init(name: String, slug: String)
}

extension Taxon {
    /// Makes the slug from the name, the way the site's URLs need it.
    public init(named name: String) {
        self.init(name: name, slug: Slug.make(from: name))
    }
}

public struct Section: Taxon {
    public var name: String
    public var slug: String
    public init(name: String, slug: String) {
        self.name = name
        self.slug = slug
    }
}

public struct Tag: Taxon {
    public var name: String
    public var slug: String
    public init(name: String, slug: String) {
        self.name = name
        self.slug = slug
    }
}

/// The author a story is credited to.
public struct Byline: Taxon {
    public var name: String
    public var slug: String
    public init(name: String, slug: String) {
        self.name = name
        self.slug = slug
    }
}

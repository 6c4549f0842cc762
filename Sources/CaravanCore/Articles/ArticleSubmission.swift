import Foundation

/// A story as it arrives to be saved (an import line, the newsroom's form, the demo), before it has HTML or a final slug.
public struct ArticleSubmission: Sendable, Hashable {
    public var id: Article.ID
    public var title: String
    public var standfirst: String
    public var body: String
    public var published: Date?
    public var section: String?
    public var countries: [Country]
    public var tags: [String]
    public var author: String?
    public var language: Article.Language
    /// Asked-for slug; nil lets the store make one from the title.
    public var slug: String?
    public var status: Article.Status
    /// The featured photograph: a media library id (`caravan media add` prints it); nil leaves the story's as it is.
    public var image: String?

    public init(
        id: Article.ID, title: String, standfirst: String = "", body: String, published: Date? = nil,
        section: String? = nil, countries: [Country] = [], tags: [String] = [], author: String? = nil,
        language: Article.Language = .en, slug: String? = nil, status: Article.Status = .published, image: String? = nil
    ) {
        self.image = image
        self.id = id
        self.title = title
        self.standfirst = standfirst
        self.body = body
        self.published = published
        self.section = section
        self.countries = countries
        self.tags = tags
        self.author = author
        self.language = language
        self.slug = slug
        self.status = status
    }
}

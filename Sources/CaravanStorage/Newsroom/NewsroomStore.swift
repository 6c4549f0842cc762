import CaravanCore
import Foundation

/// A story as the newsroom sees it: the stored article, whatever its status, with its workflow facts.
public struct Story: Sendable, Hashable {
    public var article: Article
    /// The account that created it in the newsroom; nil for imported stories.
    public var owner: Account.ID?
    public var ownerName: String?
    /// When a scheduled story goes out.
    public var publishAt: Date?
    /// Set once, the first time the story went public; the slug is settled from then on.
    public var firstPublished: Date?
    /// The number of the newest revision; 0 for a story the newsroom has never saved.
    public var revision: Int

    public init(
        article: Article, owner: Account.ID?, ownerName: String?, publishAt: Date?, firstPublished: Date?, revision: Int
    ) {
        self.article = article
        self.owner = owner
        self.ownerName = ownerName
        self.publishAt = publishAt
        self.firstPublished = firstPublished
        self.revision = revision
    }

    public var content: StoryContent { StoryContent(article) }
}

/// One save from the newsroom: the content, the status it leads to, and who asked.
public struct StoryChange: Sendable, Hashable {
    /// A new story gets a fresh id from the caller.
    public var id: Article.ID
    public var content: StoryContent
    public var status: Article.Status
    /// Required when `status` is scheduled; ignored otherwise.
    public var publishAt: Date?
    public var action: StoryAction
    public var editor: Account
    /// The revision the editor started from; nil for a new story. A save based on an older revision than the newest
    /// is refused, so two people editing at once never overwrite each other's words.
    public var basedOn: Int?
    public var restoredFrom: Int?

    public init(
        id: Article.ID, content: StoryContent, status: Article.Status, publishAt: Date? = nil, action: StoryAction,
        editor: Account, basedOn: Int?, restoredFrom: Int? = nil
    ) {
        self.id = id
        self.content = content
        self.status = status
        self.publishAt = publishAt
        self.action = action
        self.editor = editor
        self.basedOn = basedOn
        self.restoredFrom = restoredFrom
    }
}

/// Which stories the newsroom's list shows.
public struct StoryFilter: Sendable, Hashable {
    public var status: Article.Status?
    /// Stories created by this account.
    public var owner: Account.ID?
    /// The byline, by slug.
    public var authorSlug: String?
    public var sectionSlug: String?
    public var country: Country?
    /// Words in the title, standfirst or body (a plain substring match: drafts are not in the search index).
    public var text: String?
    public var page: Int
    public var perPage: Int

    public init(
        status: Article.Status? = nil, owner: Account.ID? = nil, authorSlug: String? = nil, sectionSlug: String? = nil,
        country: Country? = nil, text: String? = nil, page: Int = 1, perPage: Int = 25
    ) {
        self.status = status
        self.owner = owner
        self.authorSlug = authorSlug
        self.sectionSlug = sectionSlug
        self.country = country
        self.text = text
        self.page = page
        self.perPage = perPage
    }
}

/// A row of the newsroom's story list.
public struct StorySummary: Sendable, Hashable {
    public var id: Article.ID
    public var title: String
    public var slug: String
    public var status: Article.Status
    public var author: Byline?
    public var section: Section?
    public var countries: [Country]
    public var ownerName: String?
    public var published: Date?
    public var publishAt: Date?
    public var updated: Date

    public init(
        id: Article.ID, title: String, slug: String, status: Article.Status, author: Byline?, section: Section?,
        countries: [Country], ownerName: String?, published: Date?, publishAt: Date?, updated: Date
    ) {
        self.id = id
        self.title = title
        self.slug = slug
        self.status = status
        self.author = author
        self.section = section
        self.countries = countries
        self.ownerName = ownerName
        self.published = published
        self.publishAt = publishAt
        self.updated = updated
    }
}

public struct StoryList: Sendable, Hashable {
    public var range: ResultRange
    public var stories: [StorySummary]
    public init(range: ResultRange, stories: [StorySummary]) {
        self.range = range
        self.stories = stories
    }
}

/// Why a newsroom save was refused.
public enum NewsroomError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Someone saved the story after the editor opened it.
    case conflict(latest: Int, by: String)
    case storyNotFound(Article.ID)
    case missingPublishTime

    public var description: String {
        switch self {
        case .conflict(let latest, let name):
            "\(name) saved this story (revision \(latest)) after you opened it. Your text is below and has not been saved; compare it with theirs and save again."
        case .storyNotFound(let id): "There is no story with the id \(id)."
        case .missingPublishTime: "A scheduled story needs a publication time."
        }
    }
}

/// Where the newsroom keeps stories of every status, their revisions and the addresses they used to have.
/// Every implementation passes the same contract tests.
public protocol NewsroomStore: Sendable {
    /// Saves content and status in one transaction with its revision; the search index, listings and the content
    /// version follow in the same transaction. A published story whose slug changes keeps its old address as a redirect.
    func save(_ change: StoryChange, now: Date) async throws -> Story
    /// Any story by id, whatever its status.
    func story(id: Article.ID) async throws -> Story?
    func stories(_ filter: StoryFilter) async throws -> StoryList
    /// Newest first.
    func revisions(of id: Article.ID) async throws -> [Revision]
    func revision(of id: Article.ID, number: Int) async throws -> Revision?
    /// Publishes every scheduled story whose time has come, each exactly once however many instances call this at
    /// once, and records a revision for each. Returns the ids it published.
    func publishDue(now: Date) async throws -> [Article.ID]
    /// The current slug of the published story that used to live at `slug`, or nil.
    func redirect(fromSlug slug: String) async throws -> String?
    /// Every byline stories are credited to, by name (the story list's author filter).
    func bylines() async throws -> [Byline]
}

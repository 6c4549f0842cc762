import Foundation

/// Everything an editor writes about a story: what a revision keeps and what a restore brings back.
public struct StoryContent: Sendable, Hashable, Codable {
    public var title: String
    public var standfirst: String
    /// Markdown.
    public var body: String
    /// Empty means "make it from the title".
    public var slug: String
    /// The byline's name; empty for none.
    public var author: String
    /// The section's name; empty for none.
    public var section: String
    public var countries: [Country]
    public var tags: [String]
    public var language: Article.Language
    public var image: FeaturedImage?

    public init(
        title: String = "", standfirst: String = "", body: String = "", slug: String = "", author: String = "",
        section: String = "", countries: [Country] = [], tags: [String] = [], language: Article.Language = .en,
        image: FeaturedImage? = nil
    ) {
        self.title = title
        self.standfirst = standfirst
        self.body = body
        self.slug = slug
        self.author = author
        self.section = section
        self.countries = countries
        self.tags = tags
        self.language = language
        self.image = image
    }

    /// The content of a stored story, as the newsroom's form shows it.
    public init(_ article: Article) {
        self.init(
            title: article.title, standfirst: article.standfirst, body: article.body, slug: article.slug,
            author: article.author?.name ?? "", section: article.section?.name ?? "", countries: article.countries,
            tags: article.tags.map(\.name), language: article.language, image: article.image)
    }

    /// The fields that differ between two versions, in the form's order.
    public static func changes(from old: StoryContent?, to new: StoryContent) -> [StoryField] {
        guard let old else { return [] }
        return StoryField.allCases.filter { field in
            switch field {
            case .title: old.title != new.title
            case .standfirst: old.standfirst != new.standfirst
            case .body: old.body != new.body
            case .slug: old.slug != new.slug
            case .author: old.author != new.author
            case .section: old.section != new.section
            case .countries: old.countries != new.countries
            case .tags: old.tags != new.tags
            case .language: old.language != new.language
            case .image: old.image != new.image
            }
        }
    }

    /// A field's value as a line of text, for comparing two revisions side by side.
    public func text(of field: StoryField) -> String {
        switch field {
        case .title: title
        case .standfirst: standfirst
        case .body: body
        case .slug: slug
        case .author: author
        case .section: section
        case .countries: countries.map(\.name).joined(separator: ", ")
        case .tags: tags.joined(separator: ", ")
        case .language: language.rawValue
        case .image:
            image.map { [$0.media.map { "media \($0)" } ?? $0.url, $0.caption, $0.credit].filter { !$0.isEmpty }.joined(separator: "\n") }
                ?? ""
        }
    }
}

/// The picture at the top of a story.
public struct FeaturedImage: Sendable, Hashable, Codable {
    /// Always http or https: the form refuses anything else. Empty for a photograph from the media library.
    public var url: String
    public var caption: String
    public var credit: String
    /// The media library's photograph, served in several widths; `url` is then empty.
    public var media: String?

    public init(url: String, caption: String = "", credit: String = "", media: String? = nil) {
        self.url = url
        self.caption = caption
        self.credit = credit
        self.media = media
    }

    public init(media: String, caption: String = "", credit: String = "") {
        self.init(url: "", caption: caption, credit: credit, media: media)
    }
}

/// A field of the story form.
public enum StoryField: String, Sendable, Codable, CaseIterable {
    case title, standfirst, body, slug, author, section, countries, tags, language, image

    public var label: String {
        switch self {
        case .title: "Title"
        case .standfirst: "Standfirst"
        case .body: "Body"
        case .slug: "Web address"
        case .author: "Author"
        case .section: "Section"
        case .countries: "Countries"
        case .tags: "Tags"
        case .language: "Language"
        case .image: "Featured image"
        }
    }
}

/// What a save did to a story, as the revision history tells it.
public enum StoryAction: String, Sendable, Codable, CaseIterable {
    /// The story as it stood before the newsroom first touched it (an imported story, say).
    case baseline
    case created
    case edited
    case scheduled
    case published
    case publishedOnSchedule = "published-on-schedule"
    case unpublished
    case restored

    public var label: String {
        switch self {
        case .baseline: "As first stored"
        case .created: "Created"
        case .edited: "Edited"
        case .scheduled: "Scheduled"
        case .published: "Published"
        case .publishedOnSchedule: "Published on schedule"
        case .unpublished: "Unpublished"
        case .restored: "Restored"
        }
    }
}

/// One saved state of a story: who saved it, when, what changed.
public struct Revision: Sendable, Hashable {
    /// 1, 2, 3 … within one story.
    public var number: Int
    public var saved: Date
    /// Nil for the scheduler and for the baseline of an imported story.
    public var editor: Account.ID?
    public var editorName: String
    public var action: StoryAction
    /// The story's status after this save.
    public var status: Article.Status
    public var content: StoryContent
    /// The fields that differ from the previous revision.
    public var changed: [StoryField]
    /// For a restore: the revision whose content came back.
    public var restoredFrom: Int?

    public init(
        number: Int, saved: Date, editor: Account.ID?, editorName: String, action: StoryAction, status: Article.Status,
        content: StoryContent, changed: [StoryField], restoredFrom: Int? = nil
    ) {
        self.number = number
        self.saved = saved
        self.editor = editor
        self.editorName = editorName
        self.action = action
        self.status = status
        self.content = content
        self.changed = changed
        self.restoredFrom = restoredFrom
    }
}

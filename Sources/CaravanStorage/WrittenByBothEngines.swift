import CaravanCore
import Foundation

/// The columns only the newsroom sets; an import leaves them as they are. Both engines write them alike.
package struct NewsroomColumns: Sendable {
    /// Set when the story is created; it belongs to its creator from then on.
    package var owner: Account.ID?
    package var publishAt: Date?
    package var image: FeaturedImage?

    package init(owner: Account.ID?, publishAt: Date?, image: FeaturedImage?) {
        self.owner = owner
        self.publishAt = publishAt
        self.image = image
    }

    /// Rounded up: a story embargoed until 09:00:00.5 must not go out at 09:00:00.
    package var publishAtSeconds: Int64? { publishAt.map { Int64($0.timeIntervalSince1970.rounded(.up)) } }
}

/// Who the revision history credits when nobody in the newsroom made the change.
package enum RevisionCredit {
    package static let importer = "Import"
    package static let scheduler = "Scheduler"
}

extension Revision {
    /// The story as it stood before the newsroom's first edit, credited to the import, so that edit can be undone.
    package static func baseline(of story: Story) -> Revision {
        Revision(
            number: 1, saved: story.article.updated, editor: nil, editorName: RevisionCredit.importer, action: .baseline,
            status: story.article.status, content: story.content, changed: [])
    }

    /// What the scheduler writes when it publishes a story, after revision `latest` (whose content is `previous`).
    package static func publishedOnSchedule(_ content: StoryContent, after latest: Int, previous: StoryContent?, at now: Date)
        -> Revision
    {
        Revision(
            number: latest + 1, saved: now, editor: nil, editorName: RevisionCredit.scheduler, action: .publishedOnSchedule,
            status: .published, content: content, changed: StoryContent.changes(from: previous, to: content))
    }
}

/// Text for SQL's `LIKE … ESCAPE '\'`, on either engine.
package enum LikePattern {
    /// The text as a pattern that matches it literally: a typed % or _ is a character, not a wildcard.
    package static func escaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

import Foundation

/// What an editor asks the newsroom to do with a story.
public enum StoryCommand: Sendable, Hashable {
    /// Keep the story's status and save its content (a new story starts as a draft).
    case save
    case publish
    case schedule(at: Date)
    case unpublish
    /// Bring back the content of an earlier revision.
    case restore(revision: Int)
}

/// Why the newsroom refused a command, in a sentence for the person who asked.
public struct WorkflowDenial: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Who may do what to which story, and where each command takes it. Pure rules, no I/O.
public enum Workflow {
    /// The status a story has after the command, or the reason it may not happen.
    /// `owner` is the account that created the story (nil for imported stories).
    public static func outcome(
        of command: StoryCommand, by account: Account, owner: Account.ID?, status: Article.Status?, now: Date
    ) -> Result<Article.Status, WorkflowDenial> {
        let isNew = status == nil
        let current = status ?? .draft
        if !account.role.editsEveryStory {
            if !isNew && owner != account.id {
                return .failure(WorkflowDenial("Authors can edit only their own stories."))
            }
            if current != .draft {
                return .failure(WorkflowDenial("This story is \(current.rawValue); only an editor can change it now."))
            }
        }
        switch command {
        case .save, .restore:
            return .success(current)
        case .publish:
            guard account.role.publishes else {
                return .failure(WorkflowDenial("Authors cannot publish; an editor publishes."))
            }
            return .success(.published)
        case .schedule(let time):
            guard account.role.publishes else {
                return .failure(WorkflowDenial("Authors cannot schedule; an editor does."))
            }
            guard time > now else { return .failure(WorkflowDenial("The publication time must be in the future.")) }
            guard current != .published else {
                return .failure(WorkflowDenial("This story is already published; unpublish it first to schedule it."))
            }
            return .success(.scheduled)
        case .unpublish:
            guard account.role.publishes else {
                return .failure(WorkflowDenial("Authors cannot unpublish; an editor does."))
            }
            guard current == .published || current == .scheduled else {
                return .failure(WorkflowDenial("Only a published or scheduled story can be taken down."))
            }
            return .success(current == .scheduled ? .draft : .unpublished)
        }
    }

    /// Whether the account may open the story in the editor at all.
    public static func canEdit(_ account: Account, owner: Account.ID?, status: Article.Status) -> Bool {
        account.role.editsEveryStory || (owner == account.id && status == .draft)
    }

    /// Whether the slug may change: freely before first publication; afterwards only by an editor, and the old
    /// address then redirects.
    public static func canChangeSlug(_ account: Account, firstPublished: Date?) -> Bool {
        firstPublished == nil || account.role.editsEveryStory
    }

    /// The revision action a command records.
    public static func action(for command: StoryCommand, isNew: Bool) -> StoryAction {
        switch command {
        case .save: isNew ? .created : .edited
        case .publish: .published
        case .schedule: .scheduled
        case .unpublish: .unpublished
        case .restore: .restored
        }
    }
}

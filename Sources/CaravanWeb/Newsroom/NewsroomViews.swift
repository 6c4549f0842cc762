import CaravanCore
import CaravanStorage
import Foundation

/// The newsroom's header: who is signed in, where they can go, and the token their forms carry.
struct NewsroomChrome: Sendable {
    let siteName: String
    let stylesheet: String
    let script: String
    let accountName: String?
    let roleLabel: String?
    let csrf: String
    let navigation: [Item]
    let hasNavigation: Bool
    let links = NewsroomLinks.all

    /// The addresses the newsroom's templates link to and post to, printed from the route table.
    struct NewsroomLinks: Sendable {
        let site = SiteRoute.home.path
        let stories = NewsroomRoute.stories.path
        let newStory = NewsroomRoute.newStory.path
        let signIn = NewsroomRoute.signIn.path
        let signOut = NewsroomRoute.signOut.path
        let invitations = NewsroomRoute.invitations.path
        let mediaLibrary = NewsroomRoute.mediaLibrary.path

        static let all = NewsroomLinks()
    }

    struct Item: Sendable {
        let name: String
        let url: String
        let current: Bool
    }

    init(siteName: String, stylesheet: String, script: String, account: Account?, csrf: String, currentPath: String) {
        self.siteName = siteName
        self.stylesheet = stylesheet
        self.script = script
        accountName = account?.name
        roleLabel = account?.role.label
        self.csrf = csrf
        var items: [(String, String)] = []
        if let account {
            items = [
                ("Stories", NewsroomRoute.stories.path), ("New story", NewsroomRoute.newStory.path),
                ("Photographs", NewsroomRoute.mediaLibrary.path),
            ]
            if account.role.managesPeople { items.append(("People", NewsroomRoute.people.path)) }
        }
        navigation = items.map { Item(name: $0.0, url: $0.1, current: currentPath == $0.1) }
        hasNavigation = !navigation.isEmpty
    }
}

struct ProblemView: Sendable {
    let field: String
    let message: String
}

struct SignInPage: Sendable {
    let chrome: NewsroomChrome
    let title: String
    let email: String
    let next: String
    let problem: String?
    let notice: String?
    /// Text from a form that arrived after the session ended, shown so it can be copied back.
    let rescuedText: String?
    let noAccountsYet: Bool
}

struct MessagePage: Sendable {
    let chrome: NewsroomChrome
    let title: String
    let message: String
    let links: [LinkView]
    let rescuedText: String?
    let hasLinks: Bool

    init(chrome: NewsroomChrome, title: String, message: String, links: [LinkView], rescuedText: String?) {
        self.chrome = chrome
        self.title = title
        self.message = message
        self.links = links
        self.rescuedText = rescuedText
        hasLinks = !links.isEmpty
    }
}

struct StoryListPage: Sendable {
    let chrome: NewsroomChrome
    let title: String
    let notice: String?
    let query: String
    let statuses: [Option]
    let sections: [Option]
    let countries: [Option]
    let authors: [Option]
    let range: RangeView
    let rows: [Row]
    let hasRows: Bool
    let pagination: PaginationView?

    struct Option: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Row: Sendable {
        let title: String
        let editURL: String
        let publicURL: String?
        let status: String
        let statusLabel: String
        let author: String?
        let section: String?
        let countries: String
        let owner: String?
        let updatedText: String
        let updatedISO: String
        let whenText: String?
    }
}

struct StoryFormPage: Sendable {
    let chrome: NewsroomChrome
    let title: String
    let heading: String
    let formAction: String
    let isNew: Bool
    let status: String
    let statusLabel: String
    let statusNote: String?
    let revision: Int
    let notice: String?
    let denial: String?
    let conflict: Conflict?
    let problems: [ProblemView]
    let hasProblems: Bool

    let titleValue: String
    let standfirst: String
    let body: String
    let slug: String
    let slugLocked: Bool
    let slugNote: String?
    let author: String
    let section: String
    let tags: String
    let languages: [StoryListPage.Option]
    let countries: [CountryBox]
    let imageURL: String
    let imageCaption: String
    let imageCredit: String
    /// The library's latest photographs (and the story's own), to choose the featured one or insert one in the body.
    let mediaChoices: [MediaChoice]
    let hasMediaChoices: Bool
    let noMediaChosen: Bool
    let publishAt: String
    let timeZone: String
    let sectionNames: [String]

    let previewHTML: String?
    let canPublish: Bool
    let canSchedule: Bool
    let canUnpublish: Bool
    let publishLabel: String
    let publicURL: String?
    let revisionsURL: String?

    struct MediaChoice: Sendable {
        let card: MediaCard
        let chosen: Bool
    }

    struct CountryBox: Sendable {
        let code: String
        let name: String
        let checked: Bool
    }

    struct Conflict: Sendable {
        let message: String
        let compareURL: String
    }
}

struct RevisionsPage: Sendable {
    let chrome: NewsroomChrome
    let title: String
    let storyTitle: String
    let editURL: String
    let compareAction: String
    let revisions: [Row]
    let canRestore: Bool

    struct Row: Sendable {
        let number: Int
        let savedText: String
        let savedISO: String
        let editor: String
        let action: String
        let status: String
        let changed: String
        let restoreURL: String
        let isLatest: Bool
        let fromChecked: Bool
        let toChecked: Bool
    }
}

struct ComparePage: Sendable {
    let chrome: NewsroomChrome
    let title: String
    let storyTitle: String
    let from: Int
    let to: Int
    let revisionsURL: String
    let fields: [Field]
    let hasFields: Bool

    struct Field: Sendable {
        let label: String
        let pieces: [Piece]
    }

    struct Piece: Sendable {
        let text: String
        let added: Bool
        let removed: Bool
    }
}

struct PeoplePage: Sendable {
    let chrome: NewsroomChrome
    let title: String
    let notice: String?
    let problem: String?
    let people: [Person]
    let invitations: [InvitationRow]
    let hasInvitations: Bool
    let roles: [StoryListPage.Option]

    struct Person: Sendable {
        let id: String
        let name: String
        let email: String
        let roleLabel: String
        let roles: [StoryListPage.Option]
        let roleAction: String
    }

    struct InvitationRow: Sendable {
        let email: String
        let name: String
        let roleLabel: String
        let link: String
        let expiresText: String
    }
}

struct InvitationPage: Sendable {
    let chrome: NewsroomChrome
    let title: String
    let email: String
    let name: String
    let roleLabel: String
    let formAction: String
    let problem: String?
}

/// Every newsroom page a link can point at.
enum NewsroomRoute: Sendable, Hashable {
    case signIn
    case signOut
    case stories
    case newStory
    case story(Article.ID)
    case revisions(Article.ID)
    case compare(Article.ID)
    case restore(Article.ID, revision: Int)
    case people
    case invitations
    case role(Account.ID)
    case invitation(token: String)
    case mediaLibrary
    case mediaItem(String)
    case mediaDelete(String)
    case mediaReplace(String)

    var path: String {
        switch self {
        case .signIn: Addresses.signIn.path()
        case .signOut: Addresses.signOut.path()
        case .stories: Addresses.stories.path()
        case .newStory: Addresses.newStory.path()
        case .story(let id): Addresses.story.path(id.rawValue)
        case .revisions(let id): Addresses.revisions.path(id.rawValue)
        case .compare(let id): Addresses.compare.path(id.rawValue)
        case .restore(let id, let number): Addresses.restore.path(id.rawValue, String(number))
        case .people: Addresses.people.path()
        case .invitations: Addresses.invitations.path()
        case .role(let id): Addresses.role.path(String(id.rawValue))
        case .invitation(let token): Addresses.invitation.path(token)
        case .mediaLibrary: Addresses.mediaLibrary.path()
        case .mediaItem(let id): Addresses.mediaItem.path(id)
        case .mediaDelete(let id): Addresses.mediaDelete.path(id)
        case .mediaReplace(let id): Addresses.mediaReplace.path(id)
        }
    }

    /// The newsroom page a link points at, read back from the link.
    init?(link: String) {
        let path = Link.split(link).path
        if Addresses.signIn.match(path) != nil { self = .signIn }
        else if Addresses.signOut.match(path) != nil { self = .signOut }
        else if Addresses.stories.match(path) != nil { self = .stories }
        else if Addresses.newStory.match(path) != nil { self = .newStory }
        else if let found = Addresses.story.match(path) { self = .story(Article.ID(found["id"]!)) }
        else if let found = Addresses.revisions.match(path) { self = .revisions(Article.ID(found["id"]!)) }
        else if let found = Addresses.compare.match(path) { self = .compare(Article.ID(found["id"]!)) }
        else if let found = Addresses.restore.match(path), let number = Int(found["number"]!) {
            self = .restore(Article.ID(found["id"]!), revision: number)
        }
        else if Addresses.people.match(path) != nil { self = .people }
        else if Addresses.invitations.match(path) != nil { self = .invitations }
        else if let found = Addresses.role.match(path), let id = Int64(found["id"]!) { self = .role(Account.ID(rawValue: id)) }
        else if let found = Addresses.invitation.match(path) { self = .invitation(token: found["token"]!) }
        else if Addresses.mediaLibrary.match(path) != nil { self = .mediaLibrary }
        else if let found = Addresses.mediaItem.match(path) { self = .mediaItem(found["id"]!) }
        else if let found = Addresses.mediaDelete.match(path) { self = .mediaDelete(found["id"]!) }
        else if let found = Addresses.mediaReplace.match(path) { self = .mediaReplace(found["id"]!) }
        else { return nil }
    }
}

extension Article.Status {
    var label: String {
        switch self {
        case .draft: "Draft"
        case .scheduled: "Scheduled"
        case .published: "Published"
        case .unpublished: "Unpublished"
        }
    }
}

import CaravanCore
import Foundation
import Testing

/// Whose story it is, from the point of view of the account acting on it.
enum StoryOwner: String, Sendable, CaseIterable {
    case own, someoneElses, imported
}

private let now = Date(timeIntervalSince1970: 1_780_000_000)
private let me = Account.ID(rawValue: 7)
private let colleague = Account.ID(rawValue: 8)

private func account(_ role: Account.Role) -> Account {
    Account(id: me, email: "\(role.rawValue)@caravan.news", name: role.label, role: role, created: now)
}

private func owner(_ whose: StoryOwner) -> Account.ID? {
    switch whose {
    case .own: me
    case .someoneElses: colleague
    case .imported: nil
    }
}

/// The columns of the table below: a story not saved yet, then each status.
private let statuses: [Article.Status?] = [nil, .draft, .scheduled, .published, .unpublished]

@Suite("Workflow: who may do what to which story")
struct WorkflowOutcomeTests {
    /// Every role × owner × command × status: the status the story ends in, or "no" when the command is refused.
    /// "new" is a story not saved yet: it has no owner, so whoever saves it first owns it.
    static let grid = """
        roles    owners  command        new        draft      scheduled  published    unpublished
        editors  anyone  save           draft      draft      scheduled  published    unpublished
        editors  anyone  restore        draft      draft      scheduled  published    unpublished
        editors  anyone  publish        published  published  published  published    published
        editors  anyone  schedule       scheduled  scheduled  scheduled  no           scheduled
        editors  anyone  schedule-now   no         no         no         no           no
        editors  anyone  schedule-past  no         no         no         no           no
        editors  anyone  unpublish      no         no         draft      unpublished  no
        author   own     save           draft      draft      no         no           no
        author   own     restore        draft      draft      no         no           no
        author   own     publish        no         no         no         no           no
        author   own     schedule       no         no         no         no           no
        author   own     unpublish      no         no         no         no           no
        author   others  save           draft      no         no         no           no
        author   others  restore        draft      no         no         no           no
        author   others  publish        no         no         no         no           no
        author   others  schedule       no         no         no         no           no
        author   others  unpublish      no         no         no         no           no
        """

    static let roles: [String: [Account.Role]] = ["editors": [.admin, .editor], "author": [.author]]
    static let owners: [String: [StoryOwner]] = [
        "anyone": StoryOwner.allCases, "own": [.own], "others": [.someoneElses, .imported],
    ]
    static let commands: [String: StoryCommand] = [
        "save": .save, "restore": .restore(revision: 2), "publish": .publish, "schedule": .schedule(at: now + 3600),
        "schedule-now": .schedule(at: now), "schedule-past": .schedule(at: now - 60), "unpublish": .unpublish,
    ]

    @Test(arguments: grid.split(separator: "\n").dropFirst().map(String.init))
    func outcome(row: String) throws {
        let cells = row.split(separator: " ").map(String.init)
        try #require(cells.count == 3 + statuses.count)
        let roles = try #require(Self.roles[cells[0]])
        let owners = try #require(Self.owners[cells[1]])
        let command = try #require(Self.commands[cells[2]])
        let expected = try cells.dropFirst(3).map { cell -> Article.Status? in
            if cell == "no" { return nil }
            let status: Article.Status = try #require(Article.Status(rawValue: cell))
            return status
        }
        for role in roles {
            for whose in owners {
                for (status, wanted) in zip(statuses, expected) {
                    let result = Workflow.outcome(
                        of: command, by: account(role), owner: owner(whose), status: status, now: now)
                    #expect(
                        (try? result.get()) == wanted,
                        "\(role) \(cells[2]) on \(whose) story that is \(status?.rawValue ?? "new"): \(result)")
                }
            }
        }
    }

    /// The refusal is shown to the person, so it must say why.
    @Test(
        arguments: [
            (
                Account.Role.author, StoryOwner.someoneElses, StoryCommand.save, Article.Status.draft,
                "Authors can edit only their own stories."
            ),
            (.author, .imported, .restore(revision: 1), .draft, "Authors can edit only their own stories."),
            (.author, .someoneElses, .publish, .published, "Authors can edit only their own stories."),
            (.author, .own, .save, .published, "This story is published; only an editor can change it now."),
            (.author, .own, .save, .scheduled, "This story is scheduled; only an editor can change it now."),
            (
                .author, .own, .restore(revision: 1), .unpublished,
                "This story is unpublished; only an editor can change it now."
            ),
            (.author, .own, .publish, .draft, "Authors cannot publish; an editor publishes."),
            (.author, .own, .schedule(at: now + 3600), .draft, "Authors cannot schedule; an editor does."),
            (.author, .own, .unpublish, .draft, "Authors cannot unpublish; an editor does."),
            (.editor, .someoneElses, .schedule(at: now - 60), .draft, "The publication time must be in the future."),
            (.admin, .own, .schedule(at: now), .unpublished, "The publication time must be in the future."),
            (
                .editor, .imported, .schedule(at: now + 3600), .published,
                "This story is already published; unpublish it first to schedule it."
            ),
            (.editor, .own, .unpublish, .draft, "Only a published or scheduled story can be taken down."),
            (.admin, .imported, .unpublish, .unpublished, "Only a published or scheduled story can be taken down."),
        ] as [(Account.Role, StoryOwner, StoryCommand, Article.Status, String)])
    func refusalReason(
        role: Account.Role, whose: StoryOwner, command: StoryCommand, status: Article.Status, reason: String
    ) {
        let result = Workflow.outcome(of: command, by: account(role), owner: owner(whose), status: status, now: now)
        #expect(result == .failure(WorkflowDenial(reason)))
        #expect(WorkflowDenial(reason).description == reason)
    }

    @Test(arguments: [
        (StoryCommand.save, true, StoryAction.created),
        (.save, false, .edited),
        (.publish, true, .published),
        (.publish, false, .published),
        (.schedule(at: now), false, .scheduled),
        (.unpublish, false, .unpublished),
        (.restore(revision: 3), false, .restored),
    ])
    func revisionActionRecorded(command: StoryCommand, isNew: Bool, action: StoryAction) {
        #expect(Workflow.action(for: command, isNew: isNew) == action)
    }
}

@Suite("Workflow: opening a story and changing its address")
struct WorkflowPermissionTests {
    /// Whether each role opens a story that is draft, scheduled, published, unpublished (in that order).
    @Test(arguments: [
        (Account.Role.admin, StoryOwner.own, [true, true, true, true]),
        (.admin, .someoneElses, [true, true, true, true]),
        (.admin, .imported, [true, true, true, true]),
        (.editor, .own, [true, true, true, true]),
        (.editor, .someoneElses, [true, true, true, true]),
        (.editor, .imported, [true, true, true, true]),
        (.author, .own, [true, false, false, false]),
        (.author, .someoneElses, [false, false, false, false]),
        (.author, .imported, [false, false, false, false]),
    ])
    func canEdit(role: Account.Role, whose: StoryOwner, expected: [Bool]) {
        for (status, allowed) in zip(Article.Status.allCases, expected) {
            #expect(
                Workflow.canEdit(account(role), owner: owner(whose), status: status) == allowed,
                "\(role) opening \(whose) \(status) story")
        }
    }

    /// The editor opens exactly the stories it may save: no form that can only fail, no story out of reach.
    @Test(arguments: Account.Role.allCases)
    func canEditAgreesWithSaving(role: Account.Role) {
        for whose in StoryOwner.allCases {
            for status in Article.Status.allCases {
                let save = Workflow.outcome(of: .save, by: account(role), owner: owner(whose), status: status, now: now)
                let saves = (try? save.get()) != nil
                #expect(
                    Workflow.canEdit(account(role), owner: owner(whose), status: status) == saves,
                    "\(role) \(whose) \(status)")
            }
        }
    }

    @Test(arguments: [
        (Account.Role.admin, nil as Date?, true),
        (.editor, nil, true),
        (.author, nil, true),
        (.admin, now - 86_400, true),
        (.editor, now - 86_400, true),
        // Once a story has been public its address is in links and feeds: only an editor may move it (and it redirects).
        (.author, now - 86_400, false),
    ])
    func canChangeSlug(role: Account.Role, firstPublished: Date?, allowed: Bool) {
        #expect(Workflow.canChangeSlug(account(role), firstPublished: firstPublished) == allowed)
    }
}

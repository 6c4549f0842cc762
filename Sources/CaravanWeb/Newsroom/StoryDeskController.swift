import CaravanCore
import CaravanStorage
import Foundation
import Hummingbird

/// Writing, scheduling, publishing, correcting and taking down stories, and their revisions.
struct StoryDeskController: Sendable {
    let desk: NewsroomDesk
    /// For the section and author pickers of the story list.
    let store: any ArticleStore

    func addRoutes(to admin: RouterGroup<NewsroomRequestContext>) {
        admin.get(Addresses.stories, use: list)
        admin.get(Addresses.newStory, use: newStory)
        admin.post(Addresses.stories, use: create)
        admin.get(Addresses.story, use: edit)
        admin.post(Addresses.story, use: update)
        admin.get(Addresses.revisions, use: revisions)
        admin.get(Addresses.compare, use: compare)
        admin.post(Addresses.restore, use: restore)
    }

    // MARK: The story list

    @Sendable func list(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let signedIn = try context.editor
        let query = request.form
        func value(_ name: String) -> String? {
            query[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let page = try RequestValues.page(query)
        let status = value("status").flatMap(Article.Status.init(rawValue:))
        let country = value("country").flatMap { Country(code: $0.uppercased()) ?? Country(slug: $0) }
        var filter = StoryFilter(
            status: status, authorSlug: value("author"), sectionSlug: value("section"), country: country,
            text: value("q"),
            page: page, perPage: 25)
        // Authors work on their own stories only.
        if !signedIn.account.role.editsEveryStory { filter.owner = signedIn.account.id }
        let result = try await desk.stories.stories(filter)
        let dates = DateLine(timeZone: desk.site.timeZone)
        let sections = try await store.sections()
        let bylines = try await desk.stories.bylines()
        func option(_ value: String, _ label: String, _ selected: String?) -> StoryListPage.Option {
            .init(value: value, label: label, selected: value == selected)
        }
        let rows = result.stories.map { story in
            StoryListPage.Row(
                title: story.title.isEmpty ? "(untitled)" : story.title, editURL: NewsroomRoute.story(story.id).path,
                publicURL: story.status == .published ? SiteRoute.article(slug: story.slug).path : nil,
                status: story.status.rawValue, statusLabel: story.status.label, author: story.author?.name,
                section: story.section?.name, countries: story.countries.map(\.name).joined(separator: ", "),
                owner: story.ownerName, updatedText: dates.dayAndTime(story.updated),
                updatedISO: DateLine.iso8601(story.updated),
                whenText: story.status == .scheduled
                    ? story.publishAt.map { "goes out " + dates.dayAndTime($0) }
                    : story.published.map { "published " + dates.dayAndTime($0) })
        }
        let view = StoryListPage(
            chrome: desk.chrome(request, signedIn), title: "Stories | \(desk.site.siteName) newsroom",
            notice: value("notice").flatMap { Notice(rawValue: $0)?.text }, query: value("q") ?? "",
            statuses: Article.Status.allCases.map { option($0.rawValue, $0.label, status?.rawValue) },
            sections: sections.map { option($0.slug, $0.name, value("section")) },
            countries: Country.allCases.map { option($0.code, $0.name, country?.code) },
            authors: bylines.map { option($0.slug, $0.name, value("author")) },
            range: RangeView(result.range), rows: rows, hasRows: !rows.isEmpty,
            pagination: PaginationView(result.range) { number in
                var items = query.pairs.filter { $0.name != "page" && $0.name != "notice" }.map { ($0.name, $0.value) }
                items.append(("page", String(number)))
                return NewsroomRoute.stories.path + "?" + FormEncoding.query(items)
            })
        return try desk.page(view, template: "admin-stories")
    }

    // MARK: Writing

    @Sendable func newStory(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let signedIn = try context.editor
        let content = StoryContent(author: signedIn.account.name)
        return try await form(request, signedIn, story: nil, content: content, publishAt: nil)
    }

    @Sendable func edit(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let signedIn = try context.editor
        guard let story = try await desk.stories.story(id: Article.ID(try context.parameters.require("id"))) else {
            return try notFound(request, signedIn)
        }
        guard Workflow.canEdit(signedIn.account, owner: story.owner, status: story.article.status) else {
            return try desk.message(
                request, signedIn: signedIn, status: .forbidden, title: "You cannot edit this story",
                message:
                    "Authors edit their own drafts; this one is \(story.article.status.rawValue) or belongs to someone else.",
                links: [LinkView(name: "Back to the stories", url: NewsroomRoute.stories.path)])
        }
        let notice = request.form["notice"].flatMap { Notice(rawValue: $0)?.text }
        return try await form(
            request, signedIn, story: story, content: story.content, publishAt: story.publishAt, notice: notice)
    }

    @Sendable func create(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let (signedIn, fields) = (try context.editor, try context.form)
        return try await submit(request, signedIn, story: nil, fields: fields)
    }

    @Sendable func update(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let (signedIn, fields) = (try context.editor, try context.form)
        guard let story = try await desk.stories.story(id: Article.ID(try context.parameters.require("id"))) else {
            return try notFound(request, signedIn)
        }
        return try await submit(request, signedIn, story: story, fields: fields)
    }

    /// Saves a posted story form: checks it, applies the workflow's rules, and never drops what was typed.
    private func submit(_ request: Request, _ signedIn: SignedIn, story: Story?, fields: FormFields) async throws
        -> Response
    {
        let now = desk.clock()
        // A bare button (no story fields) acts on the stored content, so "Unpublish" from a list needs no form.
        let posted = fields.values.keys.contains("title") || fields.values.keys.contains("body")
        var (content, problems) = posted ? StoryForm.read(fields.values) : (story?.content ?? StoryContent(), [])
        let intent = fields["intent"] ?? "save"
        var publishAt: Date? = story?.publishAt
        let command: StoryCommand
        switch intent {
        case "publish": command = .publish
        case "unpublish": command = .unpublish
        case "schedule":
            if let time = StoryForm.localTime(fields["publish_at"] ?? "", timeZone: desk.site.timeZone) {
                command = .schedule(at: time)
                publishAt = time
            } else {
                problems.append(
                    .init(
                        field: "publish_at",
                        message: "Give the publication time as a date and time, for example 2026-12-01T09:30."))
                command = .save
            }
        case "preview":
            return try await form(
                request, signedIn, story: story, content: content, publishAt: publishAt, previewing: true,
                problems: problems)
        default: command = .save
        }
        if let story, story.firstPublished != nil, !content.slug.isEmpty, content.slug != story.article.slug,
            !Workflow.canChangeSlug(signedIn.account, firstPublished: story.firstPublished)
        {
            problems.append(
                .init(field: "slug", message: "The web address of a published story can only be changed by an editor."))
        }
        // An empty web address keeps the one a story already has: a story's URL changes only when someone asks.
        if let story, content.slug.isEmpty { content.slug = story.article.slug }
        let goesPublic: Bool =
            switch command {
            case .publish, .schedule: true
            case .save: story?.article.status == .published || story?.article.status == .scheduled
            default: false
            }
        problems += try await mediaProblems(content, goesPublic: goesPublic)
        guard problems.isEmpty else {
            return try await form(
                request, signedIn, story: story, content: content, publishAt: publishAt, problems: problems,
                status: .unprocessableContent)
        }
        let status: Article.Status
        switch Workflow.outcome(
            of: command, by: signedIn.account, owner: story?.owner, status: story?.article.status, now: now)
        {
        case .success(let next): status = next
        case .failure(let denial):
            return try await form(
                request, signedIn, story: story, content: content, publishAt: publishAt, denial: denial.reason,
                status: .forbidden)
        }
        let basedOn = story.map { story in fields["revision"].flatMap(Int.init) ?? story.revision }
        let change = StoryChange(
            id: story?.article.id ?? Article.ID(Self.newID()), content: content, status: status,
            publishAt: status == .scheduled ? publishAt : nil,
            action: Workflow.action(for: command, isNew: story == nil),
            editor: signedIn.account, basedOn: basedOn)
        let saved: Story
        do {
            saved = try await desk.stories.save(change, now: now)
        } catch let error as NewsroomError {
            if case .conflict = error, let story {
                let conflict = StoryFormPage.Conflict(
                    message: error.description,
                    compareURL: NewsroomRoute.compare(story.article.id).path
                        + "?from=\(basedOn ?? 0)&to=\(story.revision)")
                return try await form(
                    request, signedIn, story: story, content: content, publishAt: publishAt, conflict: conflict,
                    status: .conflict)
            }
            return try await form(
                request, signedIn, story: story, content: content, publishAt: publishAt, denial: error.description,
                status: .unprocessableContent)
        }
        let notice: Notice =
            switch command {
            case .publish: .published
            case .schedule: .scheduled
            case .unpublish: .unpublished
            case .restore: .restored
            case .save: story == nil ? .created : .saved
            }
        return desk.redirect(to: NewsroomRoute.story(saved.article.id).path + "?notice=\(notice.rawValue)")
    }

    /// A featured photograph or a body image the library does not hold, and, for a story going on the site, any
    /// of them without alt text: a reader who cannot see the picture must be told what it shows.
    private func mediaProblems(_ content: StoryContent, goesPublic: Bool) async throws -> [StoryForm.Problem] {
        guard let media = desk.media else { return [] }
        var problems: [StoryForm.Problem] = []
        if let id = content.image?.media {
            if let item = try await media.store.item(id: id) {
                if goesPublic && item.alt.isEmpty {
                    problems.append(
                        .init(
                            field: "image_media",
                            message: "The featured photograph has no alt text yet: describe it in the library (\(NewsroomRoute.mediaItem(id).path)) before publishing."))
                }
            } else {
                problems.append(.init(field: "image_media", message: "There is no photograph \(id) in the library."))
            }
        }
        let files = ResponsivePicture.referencedFiles(in: content.body)
        if !files.isEmpty {
            let found = try await media.store.items(files: files)
            let known = Set(found.map(\.file))
            for file in files where !known.contains(file) {
                problems.append(.init(field: "body", message: "The body shows a photograph the library does not hold (/media/\(file)/…)."))
            }
            if goesPublic {
                for item in found where item.alt.isEmpty {
                    problems.append(
                        .init(
                            field: "body",
                            message: "A photograph in the body has no alt text yet: describe it in the library (\(NewsroomRoute.mediaItem(item.id).path)) before publishing."))
                }
            }
        }
        return problems
    }

    /// Ids for stories born in the newsroom: random, so two instances never hand out the same one.
    static func newID() -> String {
        "story-" + UUID().uuidString.lowercased().prefix(13).replacingOccurrences(of: "-", with: "")
    }

    private func form(
        _ request: Request, _ signedIn: SignedIn, story: Story?, content: StoryContent, publishAt: Date?,
        previewing: Bool = false, notice: String? = nil, denial: String? = nil, conflict: StoryFormPage.Conflict? = nil,
        problems: [StoryForm.Problem] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let account = signedIn.account
        let current = story?.article.status
        let dates = DateLine(timeZone: desk.site.timeZone)
        let publishes = account.role.publishes
        let sections = try await store.sections().map(\.name)
        let statusNote: String? =
            switch current {
            case .published?: story?.article.published.map { "Published \(dates.dayAndTime($0))" }
            case .scheduled?: story?.publishAt.map { "Goes out \(dates.dayAndTime($0))" }
            case .unpublished?: "Not on the site. Publish it again to bring it back at its old address."
            case .draft?, nil: account.role.publishes ? nil : "An editor publishes your story when it is ready."
            }
        let slugLocked = story.map { !Workflow.canChangeSlug(account, firstPublished: $0.firstPublished) } ?? false
        var choices: [MediaItem] = []
        if let media = desk.media {
            choices = try await media.store.library(words: "", page: 1, perPage: 12).items
            if let id = content.image?.media, !choices.contains(where: { $0.id == id }), let chosen = try await media.store.item(id: id) {
                choices.insert(chosen, at: 0)
            }
        }
        let mediaChoices = choices.map { StoryFormPage.MediaChoice(card: MediaCard($0), chosen: $0.id == content.image?.media) }
        let view = StoryFormPage(
            chrome: desk.chrome(request, signedIn),
            title:
                "\(story == nil ? "New story" : "Edit: \(content.title.isEmpty ? "untitled" : content.title)") | \(desk.site.siteName) newsroom",
            heading: story == nil ? "New story" : "Edit story",
            formAction: story.map { NewsroomRoute.story($0.article.id).path } ?? NewsroomRoute.stories.path,
            isNew: story == nil, status: (current ?? .draft).rawValue, statusLabel: (current ?? .draft).label,
            statusNote: statusNote, revision: story?.revision ?? 0, notice: notice, denial: denial, conflict: conflict,
            problems: problems.map { ProblemView(field: $0.field, message: $0.message) },
            hasProblems: !problems.isEmpty,
            titleValue: content.title, standfirst: content.standfirst, body: content.body, slug: content.slug,
            slugLocked: slugLocked,
            slugNote: story?.firstPublished != nil
                ? "This story has been published: a new web address redirects readers from the old one." : nil,
            author: content.author, section: content.section, tags: content.tags.joined(separator: ", "),
            languages: Article.Language.allCases.map {
                .init(value: $0.rawValue, label: $0 == .en ? "English" : "Russian", selected: $0 == content.language)
            },
            countries: Country.allCases.map {
                .init(code: $0.code, name: $0.name, checked: content.countries.contains($0))
            },
            imageURL: content.image?.url ?? "", imageCaption: content.image?.caption ?? "",
            imageCredit: content.image?.credit ?? "",
            mediaChoices: mediaChoices, hasMediaChoices: !mediaChoices.isEmpty, noMediaChosen: content.image?.media == nil,
            publishAt: publishAt.map { StoryForm.localTimeText($0, timeZone: desk.site.timeZone) } ?? "",
            timeZone: desk.site.timeZone.identifier, sectionNames: sections,
            previewHTML: previewing ? ArticleBody.html(fromMarkdown: content.body) : nil,
            canPublish: publishes && current != .published, canSchedule: publishes && current != .published,
            canUnpublish: publishes && (current == .published || current == .scheduled),
            publishLabel: current == .unpublished ? "Publish again" : "Publish now",
            publicURL: current == .published ? story.map { SiteRoute.article(slug: $0.article.slug).path } : nil,
            revisionsURL: story.map { NewsroomRoute.revisions($0.article.id).path })
        return try desk.page(view, template: "admin-story", status: status)
    }

    private func notFound(_ request: Request, _ signedIn: SignedIn) throws -> Response {
        try desk.message(
            request, signedIn: signedIn, status: .notFound, title: "No such story",
            message: "There is no story at this address in the newsroom.",
            links: [LinkView(name: "All stories", url: NewsroomRoute.stories.path)])
    }

    // MARK: Revisions

    @Sendable func revisions(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let signedIn = try context.editor
        guard let story = try await desk.stories.story(id: Article.ID(try context.parameters.require("id"))),
            Workflow.canEdit(signedIn.account, owner: story.owner, status: story.article.status)
        else { return try notFound(request, signedIn) }
        let revisions = try await desk.stories.revisions(of: story.article.id)
        let dates = DateLine(timeZone: desk.site.timeZone)
        let view = RevisionsPage(
            chrome: desk.chrome(request, signedIn), title: "Revisions | \(desk.site.siteName) newsroom",
            storyTitle: story.article.title.isEmpty ? "(untitled)" : story.article.title,
            editURL: NewsroomRoute.story(story.article.id).path,
            compareAction: NewsroomRoute.compare(story.article.id).path,
            revisions: revisions.enumerated().map { index, revision in
                RevisionsPage.Row(
                    number: revision.number, savedText: dates.dayAndTime(revision.saved),
                    savedISO: DateLine.iso8601(revision.saved),
                    editor: revision.editorName,
                    action: revision.action.label + (revision.restoredFrom.map { " (from revision \($0))" } ?? ""),
                    status: revision.status.label,
                    changed: revision.changed.map(\.label).joined(separator: ", "),
                    restoreURL: NewsroomRoute.restore(story.article.id, revision: revision.number).path,
                    isLatest: index == 0, fromChecked: index == 1 || (revisions.count == 1 && index == 0),
                    toChecked: index == 0)
            },
            canRestore: Workflow.canEdit(signedIn.account, owner: story.owner, status: story.article.status))
        return try desk.page(view, template: "admin-revisions")
    }

    @Sendable func compare(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let signedIn = try context.editor
        guard let story = try await desk.stories.story(id: Article.ID(try context.parameters.require("id"))),
            Workflow.canEdit(signedIn.account, owner: story.owner, status: story.article.status)
        else { return try notFound(request, signedIn) }
        let query = request.form
        guard let fromNumber = query["from"].flatMap({ Int($0) }), let toNumber = query["to"].flatMap({ Int($0) })
        else {
            throw HTTPError(.badRequest, message: "Choose two revisions to compare (from and to are revision numbers).")
        }
        guard let from = try await desk.stories.revision(of: story.article.id, number: fromNumber),
            let to = try await desk.stories.revision(of: story.article.id, number: toNumber)
        else { return try notFound(request, signedIn) }
        let fields = StoryField.allCases.compactMap { field -> ComparePage.Field? in
            let old = from.content.text(of: field)
            let new = to.content.text(of: field)
            guard old != new else { return nil }
            return ComparePage.Field(
                label: field.label,
                pieces: TextDiff.compare(old, new).map {
                    .init(text: $0.text, added: $0.kind == .added, removed: $0.kind == .removed)
                })
        }
        let view = ComparePage(
            chrome: desk.chrome(request, signedIn), title: "Compare revisions | \(desk.site.siteName) newsroom",
            storyTitle: story.article.title.isEmpty ? "(untitled)" : story.article.title, from: fromNumber,
            to: toNumber,
            revisionsURL: NewsroomRoute.revisions(story.article.id).path, fields: fields, hasFields: !fields.isEmpty)
        return try desk.page(view, template: "admin-compare")
    }

    @Sendable func restore(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let (signedIn, fields) = (try context.editor, try context.form)
        guard let story = try await desk.stories.story(id: Article.ID(try context.parameters.require("id"))),
            let number = Int(try context.parameters.require("number")),
            let revision = try await desk.stories.revision(of: story.article.id, number: number)
        else { return try notFound(request, signedIn) }
        let now = desk.clock()
        let status: Article.Status
        switch Workflow.outcome(
            of: .restore(revision: number), by: signedIn.account, owner: story.owner, status: story.article.status,
            now: now)
        {
        case .success(let next): status = next
        case .failure(let denial):
            return try desk.message(
                request, signedIn: signedIn, status: .forbidden, title: "You cannot restore this revision",
                message: denial.reason)
        }
        var content = revision.content
        // A published story keeps its address unless an editor restores an older one on purpose; editors may.
        if story.firstPublished != nil, !Workflow.canChangeSlug(signedIn.account, firstPublished: story.firstPublished)
        {
            content.slug = story.article.slug
        }
        let change = StoryChange(
            id: story.article.id, content: content, status: status, publishAt: story.publishAt, action: .restored,
            editor: signedIn.account, basedOn: story.revision, restoredFrom: number)
        _ = try await desk.stories.save(change, now: now)
        return desk.redirect(to: NewsroomRoute.story(story.article.id).path + "?notice=\(Notice.restored.rawValue)")
    }
}

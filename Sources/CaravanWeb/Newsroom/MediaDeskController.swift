import CaravanCore
import CaravanMedia
import CaravanStorage
import Foundation
import Hummingbird

/// The media library in the newsroom: uploading photographs, describing them, finding them, and replacing or
/// deleting those no story uses.
struct MediaDeskController: Sendable {
    let desk: NewsroomDesk

    static let perPage = 24

    func addRoutes(to admin: RouterGroup<NewsroomRequestContext>) {
        admin.get(Addresses.mediaLibrary, use: library)
        admin.post(Addresses.mediaLibrary, use: upload)
        admin.get(Addresses.mediaItem, use: item)
        admin.post(Addresses.mediaItem, use: describe)
        admin.post(Addresses.mediaReplace, use: replace)
        admin.post(Addresses.mediaDelete, use: delete)
    }

    @Sendable func library(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let signedIn = try context.editor
        let notice = request.form["notice"].flatMap { Notice(rawValue: $0)?.text }
        return try await libraryPage(request, signedIn, notice: notice)
    }

    @Sendable func upload(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let (signedIn, fields) = (try context.editor, try context.form)
        guard let media = desk.media else { return try noLibrary(request, signedIn) }
        let files = fields.uploads.filter { $0.field == "file" }
        guard !files.isEmpty else {
            return try await libraryPage(
                request, signedIn, problems: ["Choose one or more photographs to upload (JPEG, PNG or WebP)."],
                status: .unprocessableContent)
        }
        var added: [MediaAddition] = []
        var problems: [String] = []
        for file in files {
            let name = file.filename.isEmpty ? "The file" : "“\(file.filename)”"
            do {
                added.append(
                    try await media.add(
                        file.bytes, alt: fields["alt"] ?? "", caption: fields["caption"] ?? "", credit: fields["credit"] ?? "",
                        now: desk.clock()))
            } catch let problem as MediaProblem {
                problems.append("\(name): \(problem.message)")
            }
        }
        if problems.isEmpty, added.count == 1, let only = added.first {
            let notice: Notice = if case .added = only { .uploaded } else { .alreadyThere }
            return desk.redirect(to: NewsroomRoute.mediaItem(only.item.id).path + "?notice=\(notice.rawValue)")
        }
        let notice = added.isEmpty ? nil : "\(added.count) of \(files.count) photographs are in the library."
        return try await libraryPage(
            request, signedIn, notice: notice, problems: problems, status: problems.isEmpty ? .ok : .unprocessableContent)
    }

    @Sendable func item(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let signedIn = try context.editor
        let notice = request.form["notice"].flatMap { Notice(rawValue: $0)?.text }
        return try await itemPage(request, signedIn, id: try context.parameters.require("id"), notice: notice)
    }

    @Sendable func describe(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let (signedIn, fields) = (try context.editor, try context.form)
        let id = try context.parameters.require("id")
        guard let media = desk.media else { return try noLibrary(request, signedIn) }
        do {
            _ = try await media.store.describe(
                id: id, alt: MediaLibrary.clean(fields["alt"] ?? ""), caption: MediaLibrary.clean(fields["caption"] ?? ""),
                credit: MediaLibrary.clean(fields["credit"] ?? ""))
        } catch MediaStoreError.notFound {
            return try notFound(request, signedIn)
        }
        return desk.redirect(to: NewsroomRoute.mediaItem(id).path + "?notice=\(Notice.described.rawValue)")
    }

    @Sendable func replace(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let (signedIn, fields) = (try context.editor, try context.form)
        let id = try context.parameters.require("id")
        guard let media = desk.media else { return try noLibrary(request, signedIn) }
        guard signedIn.account.role.publishes else { return try editorsOnly(request, signedIn) }
        guard let file = fields.uploads.first(where: { $0.field == "file" }) else {
            return try await itemPage(
                request, signedIn, id: id, problem: "Choose the photograph to put in its place.", status: .unprocessableContent)
        }
        do {
            _ = try await media.replace(id: id, with: file.bytes, now: desk.clock())
        } catch let problem as MediaProblem {
            return try await itemPage(request, signedIn, id: id, problem: problem.message, status: .unprocessableContent)
        } catch let error as MediaStoreError {
            if case .notFound = error { return try notFound(request, signedIn) }
            return try await itemPage(request, signedIn, id: id, problem: error.description, status: .conflict)
        }
        return desk.redirect(to: NewsroomRoute.mediaItem(id).path + "?notice=\(Notice.replaced.rawValue)")
    }

    @Sendable func delete(_ request: Request, context: NewsroomRequestContext) async throws -> Response {
        let signedIn = try context.editor
        let id = try context.parameters.require("id")
        guard let media = desk.media else { return try noLibrary(request, signedIn) }
        guard signedIn.account.role.publishes else { return try editorsOnly(request, signedIn) }
        do {
            try await media.store.delete(id: id)
        } catch let error as MediaStoreError {
            if case .notFound = error { return try notFound(request, signedIn) }
            return try await itemPage(request, signedIn, id: id, problem: error.description, status: .conflict)
        }
        return desk.redirect(to: NewsroomRoute.mediaLibrary.path + "?notice=\(Notice.deleted.rawValue)")
    }

    // MARK: Pages

    private func libraryPage(
        _ request: Request, _ signedIn: SignedIn, notice: String? = nil, problems: [String] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let media = desk.media else { return try noLibrary(request, signedIn) }
        let words = request.form["q"] ?? ""
        let page = max(1, request.form["page"].flatMap(Int.init) ?? 1)
        let (items, total) = try await media.store.library(words: words, page: page, perPage: Self.perPage)
        let pages = max(1, (total + Self.perPage - 1) / Self.perPage)
        func pageLink(_ number: Int) -> String {
            NewsroomRoute.mediaLibrary.path + "?" + FormEncoding.query(words.isEmpty ? [("page", "\(number)")] : [("q", words), ("page", "\(number)")])
        }
        let view = MediaLibraryPage(
            chrome: desk.chrome(request, signedIn), title: "Photographs | \(desk.site.siteName) newsroom", notice: notice,
            problems: problems, hasProblems: !problems.isEmpty, words: words,
            totalText: total == 1 ? "1 photograph" : "\(total) photographs",
            items: items.map(MediaCard.init), hasItems: !items.isEmpty,
            previousURL: page > 1 ? pageLink(page - 1) : nil, nextURL: page < pages ? pageLink(page + 1) : nil,
            maximumText: "\(media.rules.maximumBytes >> 20) MB")
        return try desk.page(view, template: "admin-media", status: status)
    }

    private func itemPage(
        _ request: Request, _ signedIn: SignedIn, id: String, notice: String? = nil, problem: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let media = desk.media else { return try noLibrary(request, signedIn) }
        guard let item = try await media.store.item(id: id) else { return try notFound(request, signedIn) }
        let uses = try await media.store.uses(id: id)
        let dates = DateLine(timeZone: desk.site.timeZone)
        let view = MediaItemPage(
            chrome: desk.chrome(request, signedIn), title: "Photograph \(item.id) | \(desk.site.siteName) newsroom",
            notice: notice, problem: problem, card: MediaCard(item),
            picture: ResponsivePicture.html(item, sizes: ResponsivePicture.storySizes, lazy: false),
            uploadedText: dates.dayAndTime(item.uploaded),
            files: item.variants.map {
                .init(
                    name: $0.name, url: SiteRoute.mediaFile(file: item.file, name: $0.name).path, size: "\($0.width) × \($0.height)",
                    kilobytes: "\(max(1, $0.length / 1024)) kB")
            },
            uses: uses.map { LinkView(name: $0.title.isEmpty ? $0.slug : $0.title, url: SiteRoute.article(slug: $0.slug).path) },
            inUse: !uses.isEmpty, canRemove: signedIn.account.role.publishes,
            action: NewsroomRoute.mediaItem(item.id).path, replaceAction: NewsroomRoute.mediaReplace(item.id).path,
            deleteAction: NewsroomRoute.mediaDelete(item.id).path)
        return try desk.page(view, template: "admin-media-item", status: status)
    }

    private func notFound(_ request: Request, _ signedIn: SignedIn) throws -> Response {
        try desk.message(
            request, signedIn: signedIn, status: .notFound, title: "No such photograph",
            message: "There is no photograph at this address in the library. It may have been deleted.",
            links: [LinkView(name: "Back to the photographs", url: NewsroomRoute.mediaLibrary.path)])
    }

    /// Replacing or deleting a photograph changes what readers may see: an editor's call, as publishing is.
    private func editorsOnly(_ request: Request, _ signedIn: SignedIn) throws -> Response {
        try desk.message(
            request, signedIn: signedIn, status: .forbidden, title: "Editors only",
            message: "Only an editor or an admin can replace or delete a photograph.",
            links: [LinkView(name: "Back to the photographs", url: NewsroomRoute.mediaLibrary.path)])
    }

    private func noLibrary(_ request: Request, _ signedIn: SignedIn) throws -> Response {
        try desk.message(
            request, signedIn: signedIn, status: .notFound, title: "No media library",
            message: "This site runs without a media library.")
    }
}

/// A photograph as the newsroom lists it.
struct MediaCard: Sendable {
    let id: String
    let alt: String
    let caption: String
    let credit: String
    let needsAlt: Bool
    let thumbnail: String
    let size: String
    let url: String
    /// What to paste into a story's body to show the photograph there.
    let markdown: String

    init(_ item: MediaItem) {
        id = item.id
        alt = item.alt
        caption = item.caption
        credit = item.credit
        needsAlt = item.alt.isEmpty
        thumbnail = ResponsivePicture.html(item, sizes: ResponsivePicture.thumbnailSizes, lazy: true)
        size = "\(item.width) × \(item.height)"
        url = NewsroomRoute.mediaItem(item.id).path
        markdown = Self.markdown(item)
    }

    static func markdown(_ item: MediaItem) -> String {
        let variant = item.jpeg(atLeast: 1200)
        let alt = item.alt.replacingOccurrences(of: "\\", with: "/").replacingOccurrences(of: "]", with: ")")
            .replacingOccurrences(of: "[", with: "(")
        return "![\(alt)](\(variant.map { SiteRoute.mediaFile(file: item.file, name: $0.name).path } ?? ""))"
    }
}

struct MediaLibraryPage: Sendable {
    let chrome: NewsroomChrome
    let title: String
    let notice: String?
    let problems: [String]
    let hasProblems: Bool
    let words: String
    let totalText: String
    let items: [MediaCard]
    let hasItems: Bool
    let previousURL: String?
    let nextURL: String?
    let maximumText: String
}

struct MediaItemPage: Sendable {
    struct File: Sendable {
        let name: String
        let url: String
        let size: String
        let kilobytes: String
    }

    let chrome: NewsroomChrome
    let title: String
    let notice: String?
    let problem: String?
    let card: MediaCard
    let picture: String
    let uploadedText: String
    let files: [File]
    let uses: [LinkView]
    let inUse: Bool
    let canRemove: Bool
    let action: String
    let replaceAction: String
    let deleteAction: String
}

import CaravanCore
import CaravanStorage
import Foundation

/// `caravan import wxr`: a WordPress export's posts become stories, its attachments photographs of the media library
/// (read from a copy of `wp-content/uploads`, never fetched), and every old address a redirect. Two passes over
/// the file, each a stream: the attachments first, so the posts can show them.
public struct WXRImporter: Sendable {
    /// What a run did, kind by kind.
    public struct Tally: Sendable, Hashable {
        public var imported = 0
        public var updated = 0
        public var skipped = 0
        public init(imported: Int = 0, updated: Int = 0, skipped: Int = 0) {
            self.imported = imported
            self.updated = updated
            self.skipped = skipped
        }
        public var line: String { "imported \(imported), updated \(updated), skipped \(skipped)" }
    }

    public struct Report: Sendable {
        public var stories = Tally()
        public var pages = Tally()
        public var media = Tally()
        public var redirects = Tally()
        /// Each item left out, with its reason.
        public var skippedItems: [String] = []
        public var unknownShortcodes: [String] = []
        public var sticky = 0
        public var passwordProtected = 0
        public var revisionsAndOther = 0

        public var total: Tally {
            Tally(
                imported: stories.imported + pages.imported + media.imported + redirects.imported,
                updated: stories.updated + pages.updated + media.updated + redirects.updated,
                skipped: stories.skipped + pages.skipped + media.skipped + redirects.skipped)
        }

        /// The lines `caravan import wxr` prints.
        public var lines: [String] {
            var lines = skippedItems.map { "skipped: \($0)" }
            lines.append("stories: \(stories.line)")
            lines.append("pages: \(pages.line)")
            lines.append("media: \(media.line)")
            lines.append("redirects: \(redirects.line)")
            if sticky > 0 { lines.append("sticky posts: \(sticky) (imported as ordinary stories)") }
            if passwordProtected > 0 { lines.append("password-protected posts: \(passwordProtected) (imported as drafts)") }
            if revisionsAndOther > 0 { lines.append("revisions, trash, auto-drafts and menu items left out: \(revisionsAndOther)") }
            if !unknownShortcodes.isEmpty {
                lines.append("unknown shortcodes kept as text: " + unknownShortcodes.map { "[\($0)]" }.joined(separator: " "))
            }
            lines.append(total.line)
            return lines
        }
    }

    /// A photograph the library took, as the importer needs it.
    public struct Photograph: Sendable {
        public var id: String
        /// `/media/<hash>/`
        public var folder: String
        /// The JPEG widths it has, narrowest first.
        public var widths: [Int]
        public var original: String

        public init(id: String, folder: String, widths: [Int], original: String) {
            self.id = id
            self.folder = folder
            self.widths = widths
            self.original = original
        }

        /// The file nearest `width` (at least as wide), for an image the old site showed at that size.
        func address(width: Int?) -> String {
            let chosen = width.flatMap { wanted in widths.first { $0 >= wanted } } ?? widths.last
            return chosen.map { folder + "\($0).jpg" } ?? folder + original
        }
    }

    let articles: any ArticleStore
    let redirects: any RedirectStore
    let timeZone: TimeZone
    /// Adds an image file to the media library (alt, caption) and says what it became; nil imports no attachments.
    let addPhotograph: (@Sendable ([UInt8], String, String) async throws -> Photograph)?

    public init(
        articles: any ArticleStore, redirects: any RedirectStore, timeZone: TimeZone,
        addPhotograph: (@Sendable ([UInt8], String, String) async throws -> Photograph)?
    ) {
        self.articles = articles
        self.redirects = redirects
        self.timeZone = timeZone
        self.addPhotograph = addPhotograph
    }

    public func importFile(at path: String, uploads: String?, strict: Bool, dryRun: Bool) async throws -> Report {
        if strict && !dryRun {
            let check = try await run(path: path, uploads: uploads, write: false)
            if check.stories.skipped + check.pages.skipped + check.media.skipped > 0 {
                throw WXRError(
                    check.skippedItems.map { "skipped: \($0)" }.joined(separator: "\n")
                        + "\n\(check.total.skipped) item\(check.total.skipped == 1 ? "" : "s") would be skipped; with --strict nothing was written")
            }
        }
        return try await run(path: path, uploads: uploads, write: !dryRun)
    }

    private func run(path: String, uploads: String?, write: Bool) async throws -> Report {
        var report = Report()
        var site = WXRSite()
        // Pass 1: the attachments, into the media library.
        var photographs: [Int: Photograph] = [:]
        var byUpload: [String: Photograph] = [:]
        var pending: [Redirect] = []
        for try await event in WXRReader(path: path).events() {
            switch event {
            case .site(let read): site = read
            case .item(let item) where item.postType == "attachment":
                guard let photograph = try await attachment(item, uploads: uploads, write: write, report: &report) else { continue }
                if let id = item.postID { photographs[id] = photograph }
                if let file = item.meta("_wp_attached_file") {
                    let key = OldAddress.key(path: "/wp-content/uploads/" + file, query: "")
                    byUpload[key] = photograph
                    pending.append(Redirect(from: key, to: photograph.folder + photograph.original))
                }
                for link in [item.link, item.guid] {
                    if let key = OldAddress.key(link: link), key != "/" { pending.append(Redirect(from: key, to: photograph.folder + photograph.original)) }
                }
                if let id = item.postID { pending.append(Redirect(from: "/?attachment_id=\(id)", to: photograph.folder + photograph.original)) }
            default: continue
            }
        }
        let host = Self.host(site)
        // Pass 2: the posts and pages.
        var batch: [(ArticleSubmission, WXRItem)] = []
        var writing: Writing?
        // One batch is written while the next is read, as the JSON Lines import does.
        func flush() async throws {
            guard !batch.isEmpty else { return }
            if write {
                if let previous = writing { try await finish(previous, report: &report, redirects: &pending) }
                writing = start(batch)
                try await store(&pending, write: true, report: &report)
            } else {
                try await pretend(batch, report: &report, redirects: &pending)
                try await store(&pending, write: false, report: &report)
            }
            batch.removeAll(keepingCapacity: true)
        }
        for try await event in WXRReader(path: path).events() {
            guard case .item(let item) = event, item.postType != "attachment" else { continue }
            guard let (submission, content) = story(item, site: site, host: host, photographs: photographs, byUpload: byUpload, report: &report)
            else { continue }
            for name in content.unknownShortcodes where !report.unknownShortcodes.contains(name) { report.unknownShortcodes.append(name) }
            batch.append((submission, item))
            if batch.count == 500 { try await flush() }
        }
        try await flush()
        if let last = writing { try await finish(last, report: &report, redirects: &pending) }
        pending += Self.taxonomyRedirects(site)
        pending.append(Redirect(from: "/feed", to: "/feed.xml"))
        pending.append(Redirect(from: "/comments/feed", to: "/feed.xml"))
        try await store(&pending, write: write, report: &report)
        return report
    }

    /// Stores the redirects made so far and forgets them, so memory does not grow with the export; a dry run
    /// only counts what storing would do.
    private func store(_ pending: inout [Redirect], write: Bool, report: inout Report) async throws {
        guard !pending.isEmpty else { return }
        defer { pending.removeAll(keepingCapacity: true) }
        if write {
            let counts = try await redirects.saveRedirects(pending)
            report.redirects.imported += counts.added
            report.redirects.updated += counts.changed
            return
        }
        for redirect in pending.lastOfEach {
            switch try await redirects.redirect(from: redirect.from) {
            case nil: report.redirects.imported += 1
            case let target? where target != redirect.to: report.redirects.updated += 1
            default: break
            }
        }
    }

    private func attachment(_ item: WXRItem, uploads: String?, write: Bool, report: inout Report) async throws -> Photograph? {
        let name = item.meta("_wp_attached_file") ?? item.attachmentURL
        guard let uploads, let addPhotograph else {
            report.media.skipped += 1
            report.skippedItems.append("attachment \(item.postID.map(String.init) ?? "?") (\(name)): no --uploads folder was given")
            return nil
        }
        guard let file = item.meta("_wp_attached_file"), !file.contains("..") else {
            report.media.skipped += 1
            report.skippedItems.append("attachment \(item.postID.map(String.init) ?? "?"): it names no file in wp-content/uploads")
            return nil
        }
        let url = URL(fileURLWithPath: uploads).appendingPathComponent(file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            report.media.skipped += 1
            report.skippedItems.append("attachment \(item.postID.map(String.init) ?? "?") (\(file)): not in \(uploads)")
            return nil
        }
        let lower = file.lowercased()
        guard [".jpg", ".jpeg", ".png", ".webp"].contains(where: { lower.hasSuffix($0) }) else {
            report.media.skipped += 1
            report.skippedItems.append("attachment \(item.postID.map(String.init) ?? "?") (\(file)): not a photograph (JPEG, PNG or WebP)")
            return nil
        }
        let alt = item.meta("_wp_attachment_image_alt") ?? ""
        let caption = item.excerpt.isEmpty ? item.content.trimmingCharacters(in: .whitespacesAndNewlines) : item.excerpt
        guard write else {
            report.media.imported += 1
            return Photograph(id: "dry-run", folder: "/media/dry-run/", widths: [], original: "original.jpg")
        }
        do {
            let photograph = try await addPhotograph([UInt8](data), alt, Self.plain(caption))
            report.media.imported += 1
            return photograph
        } catch {
            report.media.skipped += 1
            report.skippedItems.append("attachment \(item.postID.map(String.init) ?? "?") (\(file)): \(error)")
            return nil
        }
    }

    private func story(
        _ item: WXRItem, site: WXRSite, host: String, photographs: [Int: Photograph], byUpload: [String: Photograph],
        report: inout Report
    ) -> (ArticleSubmission, WordPressContent.Cleaned)? {
        let label = "\(item.postType.isEmpty ? "item" : item.postType) \(item.postID.map(String.init) ?? "?") at line \(item.line)"
        if ["trash", "auto-draft", "inherit"].contains(item.status) || ["revision", "nav_menu_item", "customize_changeset", "oembed_cache", "wp_global_styles", "wp_navigation", "wp_template", "wp_template_part", "custom_css", "user_request"].contains(item.postType) {
            report.revisionsAndOther += 1
            return nil
        }
        guard item.postType == "post" || item.postType == "page" || item.postType.isEmpty else {
            report.stories.skipped += 1
            report.skippedItems.append("\(label): the post type \"\(item.postType)\" is not one Caravan imports")
            return nil
        }
        if item.postType == "page" {
            report.pages.skipped += 1
            report.skippedItems.append("\(label) (“\(item.title)”): static pages are not imported yet")
            return nil
        }
        guard let postID = item.postID else {
            report.stories.skipped += 1
            report.skippedItems.append("\(label): it has no wp:post_id")
            return nil
        }
        var cleaned = WordPressContent.clean(item.content)
        cleaned.html = Self.images(in: cleaned.html, photographs: photographs, byUpload: byUpload)
        guard !item.title.isEmpty || !cleaned.html.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            report.stories.skipped += 1
            report.skippedItems.append("\(label): it has neither a title nor a body")
            return nil
        }
        if item.sticky { report.sticky += 1 }
        var status: Article.Status
        switch item.status {
        case "publish": status = .published
        case "future": status = .scheduled
        default: status = .draft
        }
        if !item.password.isEmpty {
            report.passwordProtected += 1
            status = .draft
        }
        let categories = item.terms.filter { $0.domain == "category" }
        let section = categories.first.map { Self.sectionName($0.nicename, fallback: $0.name, site: site) }
        let tags = item.terms.filter { $0.domain == "post_tag" }.map(\.name)
        let slug = (item.postName.removingPercentEncoding ?? item.postName)
        var submission = ArticleSubmission(
            id: Article.ID("wp-\(host)-\(postID)"), title: Self.plain(item.title), standfirst: Self.plain(item.excerpt),
            body: cleaned.html, published: WordPressDate.parse(gmt: item.postDateGMT, local: item.postDate, timeZone: timeZone),
            section: section, tags: tags, author: site.authors[item.creator] ?? (item.creator.isEmpty ? nil : item.creator),
            slug: slug.isEmpty ? nil : Slug.make(from: slug), status: status)
        if let thumbnail = item.meta("_thumbnail_id").flatMap(Int.init), let photograph = photographs[thumbnail], photograph.id != "dry-run" {
            submission.image = photograph.id
        }
        return (submission, cleaned)
    }

    /// A batch being written while the next is read: its stories and the task that saves them and reads their slugs.
    private struct Writing {
        let batch: [(ArticleSubmission, WXRItem)]
        let task: Task<(SaveSummary, [Article.ID: String]), any Error>
    }

    private func start(_ batch: [(ArticleSubmission, WXRItem)]) -> Writing {
        let articles = articles
        let submissions = batch.map(\.0)
        return Writing(
            batch: batch,
            task: Task {
                let saved = try await articles.save(submissions)
                // The slugs the stories got (a taken one gets a suffix), so the redirects point where each really is.
                let slugs = try await articles.slugs(of: submissions.filter { $0.status == .published }.map(\.id))
                return (saved, slugs)
            })
    }

    private func finish(_ writing: Writing, report: inout Report, redirects: inout [Redirect]) async throws {
        let (saved, slugs) = try await writing.task.value
        report.stories.imported += saved.inserted
        report.stories.updated += saved.updated
        Self.redirects(writing.batch, slugs: slugs, into: &redirects)
    }

    /// What a dry run says: which stories are new, and the redirects their asked-for slugs would have.
    private func pretend(_ batch: [(ArticleSubmission, WXRItem)], report: inout Report, redirects: inout [Redirect]) async throws {
        for (submission, _) in batch {
            if try await articles.article(id: submission.id) == nil { report.stories.imported += 1 } else { report.stories.updated += 1 }
        }
        var slugs: [Article.ID: String] = [:]
        for (submission, _) in batch { slugs[submission.id] = submission.slug }
        Self.redirects(batch, slugs: slugs, into: &redirects)
    }

    static func redirects(_ batch: [(ArticleSubmission, WXRItem)], slugs: [Article.ID: String], into redirects: inout [Redirect]) {
        for (submission, item) in batch where submission.status == .published {
            guard let slug = slugs[submission.id] else { continue }
            let target = "/articles/" + slug
            for link in [item.link, item.guid] {
                if let key = OldAddress.key(link: link), key != "/" { redirects.append(Redirect(from: key, to: target)) }
            }
            if let id = item.postID { redirects.append(Redirect(from: "/?p=\(id)", to: target)) }
            // `_wp_old_slug`: the addresses the post had before its slug changed, in the link's shape.
            if let linkKey = OldAddress.key(link: item.link), let last = linkKey.split(separator: "/").last {
                for old in item.meta["_wp_old_slug"] ?? [] where !old.isEmpty {
                    let base = linkKey.dropLast(last.count)
                    redirects.append(Redirect(from: OldAddress.key(path: String(base) + old, query: ""), to: target))
                }
            }
        }
    }

    /// `/category/news/asia/` → the section "News / Asia"; `/tag/water/` and `/author/login/` and their feeds.
    static func taxonomyRedirects(_ site: WXRSite) -> [Redirect] {
        var redirects: [Redirect] = []
        for (nicename, category) in site.categories {
            var path = [nicename]
            var parent = category.parent
            var seen: Set<String> = [nicename]
            while !parent.isEmpty, !seen.contains(parent), let up = site.categories[parent] {
                path.insert(parent, at: 0)
                seen.insert(parent)
                parent = up.parent
            }
            let slug = Slug.make(from: sectionName(nicename, fallback: category.name, site: site))
            let old = "/category/" + path.joined(separator: "/")
            redirects.append(Redirect(from: old, to: "/sections/\(slug)"))
            redirects.append(Redirect(from: old + "/feed", to: "/sections/\(slug)/feed.xml"))
        }
        for (slug, name) in site.tags {
            let target = Slug.make(from: name.isEmpty ? slug : name)
            redirects.append(Redirect(from: "/tag/\(slug.lowercased())", to: "/tags/\(target)"))
            redirects.append(Redirect(from: "/tag/\(slug.lowercased())/feed", to: "/tags/\(target)/feed.xml"))
        }
        for (login, name) in site.authors {
            let target = Slug.make(from: name)
            redirects.append(Redirect(from: "/author/\(login.lowercased())", to: "/authors/\(target)"))
            redirects.append(Redirect(from: "/author/\(login.lowercased())/feed", to: "/authors/\(target)/feed.xml"))
        }
        return redirects
    }

    /// A child category keeps its parents in its name: "News / Asia" (so its slug is `news-asia`).
    static func sectionName(_ nicename: String, fallback: String, site: WXRSite) -> String {
        var names: [String] = []
        var current = nicename
        var seen: Set<String> = []
        while let category = site.categories[current], !seen.contains(current) {
            seen.insert(current)
            names.insert(category.name.isEmpty ? current : category.name, at: 0)
            current = category.parent
        }
        return names.isEmpty ? fallback : names.joined(separator: " / ")
    }

    /// The body's images from the old site's uploads, pointed at the library's files; one whose file was not
    /// imported is left out (a broken image helps nobody). `srcset` copies go: the library's `<picture>` has its own.
    static func images(in html: String, photographs: [Int: Photograph], byUpload: [String: Photograph]) -> String {
        var result = ""
        var rest = html[...]
        while let start = rest.range(of: "<img") {
            guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
            result += rest[..<start.lowerBound]
            let tag = String(rest[start.lowerBound...end])
            rest = rest[rest.index(after: end)...]
            guard let src = attribute("src", in: tag), let range = src.range(of: "/wp-content/uploads/") else {
                result += tag
                continue
            }
            let key = OldAddress.key(path: String(src[range.lowerBound...]), query: "")
            let width = Self.sizeSuffixWidth(key)
            guard let photograph = byUpload[OldAddress.unsized(key)] ?? byUpload[key], photograph.id != "dry-run" else { continue }
            let alt = attribute("alt", in: tag) ?? ""
            result += "<img src=\"\(photograph.address(width: width))\" alt=\"\(alt)\" />"
        }
        result += rest
        // A gallery's images, in its order.
        while let open = result.range(of: "<!--gallery:"), let close = result[open.upperBound...].range(of: "-->") {
            let ids = result[open.upperBound..<close.lowerBound].split(separator: ",").compactMap { Int($0) }
            let images = ids.compactMap { photographs[$0] }.filter { $0.id != "dry-run" }.map { "<img src=\"\($0.address(width: 960))\" alt=\"\" />" }
            result.replaceSubrange(open.lowerBound..<close.upperBound, with: images.isEmpty ? "" : "<p>" + images.joined(separator: " ") + "</p>")
        }
        return result
    }

    /// The width in a size-suffixed upload's name (`yurt-300x200.jpg` → 300), on the bytes as `unsized` reads them.
    static func sizeSuffixWidth(_ key: String) -> Int? {
        guard key != OldAddress.unsized(key) else { return nil }
        let bytes = Array(key.utf8)
        guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")), let dash = bytes[..<dot].lastIndex(of: UInt8(ascii: "-")) else { return nil }
        return Int(String(decoding: bytes[(dash + 1)..<dot].prefix { $0 != UInt8(ascii: "x") }, as: UTF8.self))
    }

    static func attribute(_ name: String, in tag: String) -> String? {
        for quote in ["\"", "'"] {
            if let found = tag.range(of: " \(name)=\(quote)") {
                return String(tag[found.upperBound...].prefix { String($0) != quote })
            }
        }
        return nil
    }

    /// Text without tags or entities, one line: a title, an excerpt.
    static func plain(_ html: String) -> String {
        var text = html.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        for (entity, character) in [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#039;", "'"), ("&#8217;", "’"), ("&#8220;", "“"), ("&#8221;", "”"), ("&#8211;", "–"), ("&#8212;", "—"), ("&nbsp;", " ")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The site's host, which keys every story it gave (`wp-example.org-123`), so two sites never collide.
    static func host(_ site: WXRSite) -> String {
        for link in [site.baseBlogURL, site.baseSiteURL, site.link] {
            if let host = URLComponents(string: link)?.host, !host.isEmpty { return host.lowercased() }
        }
        return "wordpress"
    }
}

/// WordPress's dates: `post_date_gmt` in UTC, or, for a draft never published (`0000-00-00 00:00:00`), `post_date`
/// in the site's time zone.
public enum WordPressDate {
    public static func parse(gmt: String, local: String, timeZone: TimeZone) -> Date? {
        if let date = date(gmt, TimeZone(identifier: "UTC")!) { return date }
        return date(local, timeZone)
    }

    static func date(_ text: String, _ zone: TimeZone) -> Date? {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" || $0 == "T" }).compactMap { Int($0) }
        guard parts.count >= 5, parts[0] > 0, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(
            from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4], second: parts.count > 5 ? parts[5] : 0))
    }
}

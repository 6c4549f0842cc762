import CaravanCore
import CaravanStorage
import Foundation
import GRDB

/// The newsroom's stories, revisions and redirects on SQLite. Stories are written through the same path as imports,
/// so the search index, listings and the content version follow in the same transaction.
public struct SQLiteNewsroomStore: NewsroomStore {
    let database: SQLiteDatabase

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func save(_ change: StoryChange, now: Date) async throws -> Story {
        if change.status == .scheduled && change.publishAt == nil { throw NewsroomError.missingPublishTime }
        let content = change.content
        let submission = ArticleSubmission(
            id: change.id, title: content.title, standfirst: content.standfirst, body: content.body,
            section: content.section.isEmpty ? nil : content.section, countries: content.countries, tags: content.tags,
            author: content.author.isEmpty ? nil : content.author, language: content.language,
            slug: content.slug.isEmpty ? nil : content.slug, status: change.status)
        // Rendering Markdown is the slow part: do it before taking the write lock.
        let prepared = PreparedArticle(submission)
        return try await database.writer.write { db in
            try Self.save(change, prepared: prepared, now: now, db: db)
        }
    }

    private static func save(_ change: StoryChange, prepared: PreparedArticle, now: Date, db: Database) throws -> Story {
        let existing = try Row.fetchOne(
            db, sql: "SELECT number, slug, published_at, first_published_at FROM article WHERE id = ?",
            arguments: [change.id.rawValue])
        let number: Int64? = existing?["number"]
        var latest = 0
        if let number {
            latest = try latestRevision(of: number, db: db)
            guard (change.basedOn ?? 0) == latest else {
                let name = try String.fetchOne(
                    db, sql: "SELECT editor_name FROM revision WHERE article_number = ? AND number = ?",
                    arguments: [number, latest])
                throw NewsroomError.conflict(latest: latest, by: name ?? RevisionCredit.importer)
            }
            if latest == 0 {
                // The story as it stood before the newsroom's first edit, so that edit can be undone.
                guard let before = try story(number: number, db: db) else { throw NewsroomError.storyNotFound(change.id) }
                try insertRevision(.baseline(of: before), of: number, db: db)
                latest = 1
            }
        } else if change.basedOn != nil {
            // The editor opened a story that has since gone.
            throw NewsroomError.storyNotFound(change.id)
        }

        let seconds = Int64(now.timeIntervalSince1970)
        let firstPublished: Int64? = existing?["first_published_at"]
        let published: Int64?
        if let firstPublished {
            // Going back up after an unpublish keeps the original publication time.
            published = existing?["published_at"] ?? firstPublished
        } else {
            published = change.status == .published ? seconds : nil
        }
        let oldSlug: String? = existing?["slug"]
        var taxa = TaxonCache()
        let written = try SQLiteArticleStore.write(
            prepared, over: number,
            slug: change.content.slug.isEmpty ? Slug.make(from: prepared.slugSource) : change.content.slug,
            published: published, updated: seconds, hash: prepared.hash,
            newsroom: NewsroomColumns(
                owner: change.editor.id,
                publishAt: change.status == .scheduled ? change.publishAt : nil, image: change.content.image),
            now: now, taxa: &taxa, db: db)

        if let oldSlug, oldSlug != written.slug {
            // Taking back a former address ends its redirect; the story is there again.
            try db.execute(sql: "DELETE FROM slug_redirect WHERE old_slug = ?", arguments: [written.slug])
            if firstPublished != nil {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO slug_redirect (old_slug, article_number) VALUES (?, ?)",
                    arguments: [oldSlug, written.number])
            }
        }

        guard var story = try story(number: written.number, db: db) else { throw NewsroomError.storyNotFound(change.id) }
        let previous = latest > 0 ? try revision(of: written.number, number: latest, db: db)?.content : nil
        story.revision = latest + 1
        try insertRevision(
            Revision(
                number: story.revision, saved: Date(timeIntervalSince1970: TimeInterval(seconds)), editor: change.editor.id,
                editorName: change.editor.name, action: change.action, status: change.status, content: story.content,
                changed: StoryContent.changes(from: previous, to: story.content), restoredFrom: change.restoredFrom),
            of: written.number, db: db)
        return story
    }

    public func story(id: Article.ID) async throws -> Story? {
        try await database.writer.read { db in
            guard let number = try Self.number(of: id, db: db) else { return nil }
            return try Self.story(number: number, db: db)
        }
    }

    public func stories(_ filter: StoryFilter) async throws -> StoryList {
        try await database.writer.read { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let status = filter.status {
                conditions.append("a.status = ?")
                arguments += [status.rawValue]
            }
            if let owner = filter.owner {
                conditions.append("a.owner_id = ?")
                arguments += [owner.rawValue]
            }
            if let slug = filter.authorSlug {
                conditions.append("a.author_id = (SELECT id FROM author WHERE slug = ?)")
                arguments += [slug]
            }
            if let slug = filter.sectionSlug {
                conditions.append("a.section_id = (SELECT id FROM section WHERE slug = ?)")
                arguments += [slug]
            }
            if let country = filter.country {
                conditions.append(
                    "EXISTS (SELECT 1 FROM article_country c WHERE c.article_number = a.number AND c.country_code = ?)")
                arguments += [country.code]
            }
            if let text = filter.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
                conditions.append(
                    #"(a.title LIKE ? ESCAPE '\' OR a.standfirst LIKE ? ESCAPE '\' OR a.body LIKE ? ESCAPE '\')"#)
                let pattern = "%" + LikePattern.escaped(text) + "%"
                arguments += [pattern, pattern, pattern]
            }
            let condition = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            // The total and the page come from one snapshot, so the range never disagrees with the rows.
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM article a \(condition)", arguments: arguments) ?? 0
            let range = ResultRange(total: total, page: filter.page, perPage: max(1, filter.perPage))
            guard !range.isPastEnd else { return StoryList(range: range, stories: []) }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.number, a.id, a.title, a.slug, a.status, a.published_at, a.publish_at, a.updated_at,
                        s.name AS section_name, s.slug AS section_slug, w.name AS author_name, w.slug AS author_slug,
                        o.name AS owner_name, \(SQLiteArticleStore.countriesColumn)
                    FROM article a LEFT JOIN section s ON s.id = a.section_id LEFT JOIN author w ON w.id = a.author_id
                        LEFT JOIN account o ON o.id = a.owner_id
                    \(condition)
                    ORDER BY a.updated_at DESC, a.number DESC LIMIT ? OFFSET ?
                    """, arguments: arguments + [range.perPage, range.offset])
            let stories = rows.map { row in
                StorySummary(
                    id: Article.ID(row["id"] as String), title: row["title"], slug: row["slug"],
                    status: Article.Status(rawValue: row["status"]) ?? .draft, author: SQLiteArticleStore.taxon(row, "author"),
                    section: SQLiteArticleStore.taxon(row, "section"), countries: SQLiteArticleStore.orderedCountries(row["countries"]),
                    ownerName: row["owner_name"], published: Self.date(row["published_at"]),
                    publishAt: Self.date(row["publish_at"]), updated: Self.date(row["updated_at"]) ?? .distantPast)
            }
            return StoryList(range: range, stories: stories)
        }
    }

    public func revisions(of id: Article.ID) async throws -> [Revision] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT r.* FROM revision r JOIN article a ON a.number = r.article_number
                    WHERE a.id = ? ORDER BY r.number DESC
                    """, arguments: [id.rawValue]
            ).map(Self.revision(from:))
        }
    }

    public func revision(of id: Article.ID, number: Int) async throws -> Revision? {
        try await database.writer.read { db in
            guard let article = try Self.number(of: id, db: db) else { return nil }
            return try Self.revision(of: article, number: number, db: db)
        }
    }

    public func publishDue(now: Date) async throws -> [Article.ID] {
        try await database.writer.write { db in
            // The condition is part of the UPDATE, and SQLite lets one writer in at a time: however many instances ask
            // at once, a story leaves 'scheduled' once, and only the instance whose UPDATE moved it records that.
            let published = try Row.fetchAll(
                db,
                sql: """
                    UPDATE article SET status = 'published',
                        published_at = CASE WHEN first_published_at IS NULL THEN publish_at
                            ELSE coalesce(published_at, first_published_at) END,
                        first_published_at = coalesce(first_published_at, publish_at),
                        updated_at = publish_at,
                        publish_at = NULL
                    WHERE status = 'scheduled' AND publish_at <= ?
                    RETURNING number, id
                    """, arguments: [Int64(now.timeIntervalSince1970.rounded(.down))]
            ).map { (number: $0["number"] as Int64, id: Article.ID($0["id"] as String)) }.sorted { $0.number < $1.number }
            for story in published {
                guard let stored = try Self.story(number: story.number, db: db) else { continue }
                let latest = try Self.latestRevision(of: story.number, db: db)
                let previous = latest > 0 ? try Self.revision(of: story.number, number: latest, db: db)?.content : nil
                try Self.insertRevision(
                    .publishedOnSchedule(stored.content, after: latest, previous: previous, at: now), of: story.number, db: db)
            }
            return published.map(\.id)
        }
    }

    public func bylines() async throws -> [Byline] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT name, slug FROM author ORDER BY name").map { Byline(name: $0["name"], slug: $0["slug"]) }
        }
    }

    public func redirect(fromSlug slug: String) async throws -> String? {
        try await database.writer.read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT a.slug FROM slug_redirect r JOIN article a ON a.number = r.article_number
                    WHERE r.old_slug = ? AND a.status = 'published'
                    """, arguments: [slug])
        }
    }

    // MARK: - Rows

    private static func number(of id: Article.ID, db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT number FROM article WHERE id = ?", arguments: [id.rawValue])
    }

    private static func latestRevision(of number: Int64, db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT max(number) FROM revision WHERE article_number = ?", arguments: [number]) ?? 0
    }

    private static func story(number: Int64, db: Database) throws -> Story? {
        guard let article = try SQLiteArticleStore.articles([number], db: db).first,
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT a.owner_id, o.name AS owner_name, a.publish_at, a.first_published_at,
                        (SELECT max(r.number) FROM revision r WHERE r.article_number = a.number) AS revision
                    FROM article a LEFT JOIN account o ON o.id = a.owner_id WHERE a.number = ?
                    """, arguments: [number])
        else { return nil }
        return Story(
            article: article, owner: (row["owner_id"] as Int64?).map(Account.ID.init), ownerName: row["owner_name"],
            publishAt: date(row["publish_at"]), firstPublished: date(row["first_published_at"]),
            revision: row["revision"] ?? 0)
    }

    private static func revision(of article: Int64, number: Int, db: Database) throws -> Revision? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM revision WHERE article_number = ? AND number = ?", arguments: [article, number]
        ).map(revision(from:))
    }

    private static func revision(from row: Row) throws -> Revision {
        Revision(
            number: row["number"], saved: date(row["saved_at"]) ?? .distantPast,
            editor: (row["editor_id"] as Int64?).map(Account.ID.init), editorName: row["editor_name"],
            action: StoryAction(rawValue: row["action"]) ?? .edited,
            status: Article.Status(rawValue: row["status"]) ?? .draft,
            content: try JSONDecoder().decode(StoryContent.self, from: Data((row["content"] as String).utf8)),
            changed: (row["changed"] as String).split(separator: ",").compactMap { StoryField(rawValue: String($0)) },
            restoredFrom: row["restored_from"])
    }

    private static func insertRevision(_ revision: Revision, of article: Int64, db: Database) throws {
        let encoder = JSONEncoder()
        // Stable key order, so the same content is always the same text.
        encoder.outputFormatting = [.sortedKeys]
        try db.execute(
            sql: """
                INSERT INTO revision (article_number, number, saved_at, editor_id, editor_name, action, status, content,
                    changed, restored_from)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                article, revision.number, Int64(revision.saved.timeIntervalSince1970), revision.editor?.rawValue,
                revision.editorName, revision.action.rawValue, revision.status.rawValue,
                String(decoding: try encoder.encode(revision.content), as: UTF8.self),
                revision.changed.map(\.rawValue).joined(separator: ","), revision.restoredFrom,
            ])
    }

    private static func date(_ seconds: Int64?) -> Date? {
        seconds.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }
}

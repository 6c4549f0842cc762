import CaravanCore
import CaravanStorage
import Foundation
import Logging
import PostgresNIO

/// The newsroom's stories, revisions and redirects on PostgreSQL: the same behaviour as SQLiteNewsroomStore. Stories
/// are written through PostgresArticleStore's write path, so search, listings and the content version follow in the
/// same transaction.
public struct PostgresNewsroomStore: NewsroomStore {
    let database: PostgresDatabase

    /// Who the revision history credits when nobody in the newsroom made the change: the same names as on SQLite.

    public init(database: PostgresDatabase) {
        self.database = database
    }

    private var logger: Logger { database.logger }

    public func save(_ change: StoryChange, now: Date) async throws -> Story {
        if change.status == .scheduled && change.publishAt == nil { throw NewsroomError.missingPublishTime }
        let content = change.content
        let submission = ArticleSubmission(
            id: change.id, title: content.title, standfirst: content.standfirst, body: content.body,
            section: content.section.isEmpty ? nil : content.section, countries: content.countries, tags: content.tags,
            author: content.author.isEmpty ? nil : content.author, language: content.language,
            slug: content.slug.isEmpty ? nil : content.slug, status: change.status)
        // Rendering Markdown is the slow part: do it before taking the writer lock.
        let prepared = PreparedArticle(submission)
        return try await database.write(refusing: NewsroomError.self) { connection in
            try await save(change, prepared: prepared, now: now, in: connection)
        }
    }

    private func save(
        _ change: StoryChange, prepared: PreparedArticle, now: Date, in connection: PostgresConnection
    ) async throws -> Story {
        let existing = try await connection.rows(
            "SELECT number, slug, published_at, first_published_at FROM article WHERE id = \(change.id.rawValue)",
            logger: logger
        ).first
        let number = try existing?.get("number", as: Int64.self)
        var latest = 0
        if let number {
            latest = try await latestRevision(of: number, in: connection)
            guard (change.basedOn ?? 0) == latest else {
                let name = try await connection.value(
                    "SELECT editor_name FROM revision WHERE article_number = \(number) AND number = \(latest)",
                    as: String.self, logger: logger)
                throw NewsroomError.conflict(latest: latest, by: name ?? RevisionCredit.importer)
            }
            if latest == 0 {
                // The story as it stood before the newsroom's first edit, so that edit can be undone.
                guard let before = try await story(number: number, in: connection) else {
                    throw NewsroomError.storyNotFound(change.id)
                }
                try await insertRevision(.baseline(of: before), of: number, in: connection)
                latest = 1
            }
        } else if change.basedOn != nil {
            // The editor opened a story that has since gone.
            throw NewsroomError.storyNotFound(change.id)
        }

        let seconds = Int64(now.timeIntervalSince1970)
        let firstPublished = try existing?.get("first_published_at", as: Int64?.self)
        let published: Int64?
        if let firstPublished {
            // Going back up after an unpublish keeps the original publication time.
            published = try existing?.get("published_at", as: Int64?.self) ?? firstPublished
        } else {
            published = change.status == .published ? seconds : nil
        }
        let oldSlug = try existing?.get("slug", as: String.self)
        var taxa = PostgresTaxonCache()
        let written = try await PostgresArticleStore.write(
            prepared, over: number,
            slug: change.content.slug.isEmpty ? Slug.make(from: prepared.slugSource) : change.content.slug,
            published: published, updated: seconds, hash: prepared.hash,
            newsroom: NewsroomColumns(
                owner: change.editor.id,
                publishAt: change.status == .scheduled ? change.publishAt : nil, image: change.content.image),
            now: now, taxa: &taxa, connection: connection, logger: logger)

        if let oldSlug, oldSlug != written.slug {
            // Taking back a former address ends its redirect; the story is there again.
            try await connection.execute("DELETE FROM slug_redirect WHERE old_slug = \(written.slug)", logger: logger)
            if firstPublished != nil {
                try await connection.execute(
                    """
                    INSERT INTO slug_redirect (old_slug, article_number) VALUES (\(oldSlug), \(written.number))
                    ON CONFLICT (old_slug) DO UPDATE SET article_number = excluded.article_number
                    """, logger: logger)
            }
        }

        guard var story = try await story(number: written.number, in: connection) else {
            throw NewsroomError.storyNotFound(change.id)
        }
        let previous = try await content(of: written.number, revision: latest, in: connection)
        story.revision = latest + 1
        try await insertRevision(
            Revision(
                number: story.revision, saved: Date(timeIntervalSince1970: TimeInterval(seconds)),
                editor: change.editor.id, editorName: change.editor.name, action: change.action, status: change.status,
                content: story.content, changed: StoryContent.changes(from: previous, to: story.content),
                restoredFrom: change.restoredFrom),
            of: written.number, in: connection)
        return story
    }

    public func story(id: Article.ID) async throws -> Story? {
        try await database.read { connection in
            guard let number = try await self.number(of: id, in: connection) else { return nil }
            return try await story(number: number, in: connection)
        }
    }

    public func stories(_ filter: StoryFilter) async throws -> StoryList {
        var condition = SQLBuilder()
        var joiner = " WHERE "
        func require(_ head: String, _ value: some PostgresDynamicTypeEncodable, _ tail: String = "") {
            condition.append(joiner + head, binding: value, tail)
            joiner = " AND "
        }
        if let status = filter.status { require("a.status = ", status.rawValue) }
        if let owner = filter.owner { require("a.owner_id = ", owner.rawValue) }
        if let slug = filter.authorSlug { require("a.author_id = (SELECT id FROM author WHERE slug = ", slug, ")") }
        if let slug = filter.sectionSlug { require("a.section_id = (SELECT id FROM section WHERE slug = ", slug, ")") }
        if let country = filter.country {
            require(
                "EXISTS (SELECT 1 FROM article_country c WHERE c.article_number = a.number AND c.country_code = ",
                country.code, ")")
        }
        if let text = filter.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            // ILIKE folds case as SQLite's LIKE does for ASCII, and beyond ASCII where the server's locale knows how.
            let pattern = "%" + LikePattern.escaped(text) + "%"
            require("(a.title ILIKE ", pattern, #" ESCAPE '\'"#)
            condition.append(#" OR a.standfirst ILIKE "#, binding: pattern, #" ESCAPE '\'"#)
            condition.append(#" OR a.body ILIKE "#, binding: pattern, #" ESCAPE '\')"#)
        }
        let perPage = max(1, filter.perPage)
        return try await database.read { connection in
            // The total and the page come from one snapshot, so the range never disagrees with the rows.
            let counted = condition.prefixed("SELECT count(*) FROM article a")
            let total = try await connection.value(counted.query, as: Int.self, logger: logger) ?? 0
            let range = ResultRange(total: total, page: filter.page, perPage: perPage)
            guard !range.isPastEnd else { return StoryList(range: range, stories: []) }
            var page = condition.prefixed(
                """
                SELECT a.number, a.id, a.title, a.slug, a.status, a.published_at, a.publish_at, a.updated_at,
                    s.name AS section_name, s.slug AS section_slug, w.name AS author_name, w.slug AS author_slug,
                    o.name AS owner_name
                FROM article a LEFT JOIN section s ON s.id = a.section_id LEFT JOIN author w ON w.id = a.author_id
                    LEFT JOIN account o ON o.id = a.owner_id
                """)
            page.append(" ORDER BY a.updated_at DESC, a.number DESC LIMIT ", binding: range.perPage)
            page.append(" OFFSET ", binding: range.offset)
            let rows = try await connection.rows(page.query, logger: logger)
            let numbers = try rows.map { try $0.get("number", as: Int64.self) }
            let countries = try await PostgresArticleStore.countries(
                of: numbers, connection: connection, logger: logger)
            let stories = try rows.map { row in
                StorySummary(
                    id: Article.ID(try row.get("id", as: String.self)), title: try row.get("title"),
                    slug: try row.get("slug"), status: Article.Status(rawValue: try row.get("status")) ?? .draft,
                    author: try PostgresArticleStore.taxon(row, "author"),
                    section: try PostgresArticleStore.taxon(row, "section"),
                    countries: countries[try row.get("number")] ?? [], ownerName: try row.get("owner_name"),
                    published: Self.date(try row.get("published_at")), publishAt: Self.date(try row.get("publish_at")),
                    updated: Self.date(try row.get("updated_at")) ?? .distantPast)
            }
            return StoryList(range: range, stories: stories)
        }
    }

    public func revisions(of id: Article.ID) async throws -> [Revision] {
        try await database.read { connection in
            try await connection.rows(
                """
                SELECT r.* FROM revision r JOIN article a ON a.number = r.article_number
                WHERE a.id = \(id.rawValue) ORDER BY r.number DESC
                """, logger: logger
            ).map(Self.revision(from:))
        }
    }

    public func revision(of id: Article.ID, number: Int) async throws -> Revision? {
        try await database.read { connection in
            guard let article = try await self.number(of: id, in: connection) else { return nil }
            return try await revision(of: article, number: number, in: connection)
        }
    }

    public func publishDue(now: Date) async throws -> [Article.ID] {
        let due = Int64(now.timeIntervalSince1970.rounded(.down))
        return try await database.write { connection in
            // The condition is part of the UPDATE, and writers take turns on the writer lock: however many instances
            // ask at once, a story leaves 'scheduled' once, and only the instance whose UPDATE moved it records that.
            let published = try await connection.rows(
                """
                UPDATE article SET status = 'published',
                    published_at = CASE WHEN first_published_at IS NULL THEN publish_at
                        ELSE coalesce(published_at, first_published_at) END,
                    first_published_at = coalesce(first_published_at, publish_at),
                    updated_at = publish_at,
                    publish_at = NULL
                WHERE status = 'scheduled' AND publish_at <= \(due)
                RETURNING number, id
                """, logger: logger
            ).map { (number: try $0.get("number", as: Int64.self), id: Article.ID(try $0.get("id", as: String.self))) }
                .sorted { $0.number < $1.number }
            for story in published {
                guard let stored = try await self.story(number: story.number, in: connection) else { continue }
                let latest = try await latestRevision(of: story.number, in: connection)
                let previous = try await content(of: story.number, revision: latest, in: connection)
                try await insertRevision(
                    .publishedOnSchedule(stored.content, after: latest, previous: previous, at: now), of: story.number,
                    in: connection)
            }
            return published.map(\.id)
        }
    }

    public func bylines() async throws -> [Byline] {
        try await database.read { connection in
            // Ordered byte by byte, as SQLite orders text, whatever the server's locale.
            try await connection.rows("SELECT name, slug FROM author ORDER BY name COLLATE \"C\"", logger: logger).map {
                Byline(name: try $0.get("name"), slug: try $0.get("slug"))
            }
        }
    }

    public func redirect(fromSlug slug: String) async throws -> String? {
        try await database.read { connection in
            try await connection.value(
                """
                SELECT a.slug FROM slug_redirect r JOIN article a ON a.number = r.article_number
                WHERE r.old_slug = \(slug) AND a.status = 'published'
                """, as: String.self, logger: logger)
        }
    }

    // MARK: - Rows

    private func number(of id: Article.ID, in connection: PostgresConnection) async throws -> Int64? {
        let sql: PostgresQuery = "SELECT number FROM article WHERE id = \(id.rawValue)"
        return try await connection.value(sql, as: Int64.self, logger: logger)
    }

    private func latestRevision(of number: Int64, in connection: PostgresConnection) async throws -> Int {
        let sql: PostgresQuery = "SELECT coalesce(max(number), 0) FROM revision WHERE article_number = \(number)"
        return try await connection.value(sql, as: Int.self, logger: logger) ?? 0
    }

    private func story(number: Int64, in connection: PostgresConnection) async throws -> Story? {
        let articles = try await PostgresArticleStore.articles([number], connection: connection, logger: logger)
        guard let article = articles.first,
            let row = try await connection.rows(
                """
                SELECT a.owner_id, o.name AS owner_name, a.publish_at, a.first_published_at,
                    (SELECT max(r.number) FROM revision r WHERE r.article_number = a.number) AS revision
                FROM article a LEFT JOIN account o ON o.id = a.owner_id WHERE a.number = \(number)
                """, logger: logger
            ).first
        else { return nil }
        return Story(
            article: article, owner: try row.get("owner_id", as: Int64?.self).map(Account.ID.init),
            ownerName: try row.get("owner_name"), publishAt: Self.date(try row.get("publish_at")),
            firstPublished: Self.date(try row.get("first_published_at")),
            revision: try row.get("revision", as: Int?.self) ?? 0)
    }

    private func revision(of article: Int64, number: Int, in connection: PostgresConnection) async throws -> Revision? {
        try await connection.rows(
            "SELECT * FROM revision WHERE article_number = \(article) AND number = \(number)", logger: logger
        ).first.map(Self.revision(from:))
    }

    /// What revision `number` held, or nil for number 0 (the story before the newsroom saved it).
    private func content(of article: Int64, revision number: Int, in connection: PostgresConnection) async throws
        -> StoryContent?
    {
        guard number > 0 else { return nil }
        return try await revision(of: article, number: number, in: connection)?.content
    }

    private static func revision(from row: PostgresRandomAccessRow) throws -> Revision {
        let content = try row.get("content", as: String.self)
        return Revision(
            number: try row.get("number"), saved: Self.date(try row.get("saved_at")) ?? .distantPast,
            editor: try row.get("editor_id", as: Int64?.self).map(Account.ID.init),
            editorName: try row.get("editor_name"), action: StoryAction(rawValue: try row.get("action")) ?? .edited,
            status: Article.Status(rawValue: try row.get("status")) ?? .draft,
            content: try JSONDecoder().decode(StoryContent.self, from: Data(content.utf8)),
            changed: try row.get("changed", as: String.self).split(separator: ",").compactMap {
                StoryField(rawValue: String($0))
            },
            restoredFrom: try row.get("restored_from"))
    }

    private func insertRevision(
        _ revision: Revision, of article: Int64, in connection: PostgresConnection
    ) async throws {
        let encoder = JSONEncoder()
        // Stable key order, so the same content is always the same text, as SQLite stores it.
        encoder.outputFormatting = [.sortedKeys]
        let content = String(decoding: try encoder.encode(revision.content), as: UTF8.self)
        let changed = revision.changed.map(\.rawValue).joined(separator: ",")
        let saved = Int64(revision.saved.timeIntervalSince1970)
        try await connection.execute(
            """
            INSERT INTO revision (article_number, number, saved_at, editor_id, editor_name, action, status, content,
                changed, restored_from)
            VALUES (\(article), \(revision.number), \(saved), \(revision.editor?.rawValue), \(revision.editorName),
                \(revision.action.rawValue), \(revision.status.rawValue), \(content), \(changed),
                \(revision.restoredFrom))
            """, logger: logger)
    }

    private static func date(_ seconds: Int64?) -> Date? {
        seconds.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }
}

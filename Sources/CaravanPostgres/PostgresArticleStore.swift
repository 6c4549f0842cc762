import CaravanCore
import CaravanStorage
import Foundation
import Logging
import PostgresNIO

/// The article store on PostgreSQL: the same behaviour as SQLiteArticleStore, query for query.
public struct PostgresArticleStore: ArticleStore {
    let database: PostgresDatabase
    /// Used for stories saved without a publication time.
    let clock: @Sendable () -> Date

    public init(database: PostgresDatabase, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.clock = clock
    }

    private var logger: Logger { database.logger }

    public func save(_ submissions: [ArticleSubmission]) async throws -> SaveSummary {
        let now = clock()
        // Stories whose fingerprint is already stored need no rendering and no write.
        let hashes = submissions.map(Fingerprint.of)
        let stored = try await database.read { connection in
            try await Self.storedHashes(ids: submissions.map(\.id.rawValue), connection: connection, logger: logger)
        }
        let changed = zip(submissions, hashes).filter { stored[$0.0.id.rawValue] != $0.1 }.map(\.0)
        // Rendering Markdown is the slow part: spread it over the cores, before taking the writer lock.
        let prepared = await PreparedArticle.prepareConcurrently(changed)
        let unchanged = submissions.count - changed.count
        return try await database.write { connection in
            var summary = SaveSummary(updated: unchanged, unchanged: unchanged)
            // Each query is a round trip: what every story needs is read, or created, for the whole batch at once.
            var taxa = PostgresTaxonCache()
            try await taxa.prefetch(for: prepared.map(\.submission), connection: connection, logger: logger)
            var stored = try await Self.storedStories(
                ids: prepared.map(\.submission.id.rawValue), connection: connection, logger: logger)
            // Runs of stories not stored yet go in together, a few statements a run (a round trip each cost more than
            // the rows); a stored story, or one given twice, is saved by itself, in its place in the batch, so that
            // slugs come out as they would one story at a time.
            var (fresh, freshIDs) = ([PreparedArticle](), Set<String>())
            func insertFresh() async throws {
                for start in stride(from: 0, to: fresh.count, by: Self.rowsPerInsert) {
                    try await insertNew(
                        Array(fresh[start..<min(start + Self.rowsPerInsert, fresh.count)]), stored: &stored, now: now,
                        taxa: &taxa, summary: &summary, connection: connection)
                }
                (fresh, freshIDs) = ([], [])
            }
            for article in prepared {
                let id = article.submission.id.rawValue
                if stored[id] == nil && freshIDs.insert(id).inserted {
                    fresh.append(article)
                    continue
                }
                try await insertFresh()
                try await save(article, stored: &stored, now: now, taxa: &taxa, summary: &summary, connection: connection)
            }
            try await insertFresh()
            return summary
        }
    }

    /// What a save needs to know of a story already stored.
    struct StoredStory {
        var number: Int64
        var slug: String
        var hash: String
        var published: Int64?
    }

    private static func storedStories(
        ids: [String], connection: PostgresConnection, logger: Logger
    ) async throws -> [String: StoredStory] {
        var stories: [String: StoredStory] = [:]
        for start in stride(from: 0, to: ids.count, by: 1000) {
            let chunk = Array(ids[start..<min(start + 1000, ids.count)])
            for row in try await connection.rows(
                "SELECT id, number, slug, source_hash, published_at FROM article WHERE id = ANY(\(chunk))", logger: logger)
            {
                stories[try row.get("id")] = StoredStory(
                    number: try row.get("number"), slug: try row.get("slug"), hash: try row.get("source_hash"),
                    published: try row.get("published_at"))
            }
        }
        return stories
    }

    static func storedHashes(ids: [String], connection: PostgresConnection, logger: Logger) async throws -> [String: String] {
        var hashes: [String: String] = [:]
        // One array parameter per thousand ids keeps each message small.
        for start in stride(from: 0, to: ids.count, by: 1000) {
            let chunk = Array(ids[start..<min(start + 1000, ids.count)])
            for row in try await connection.rows("SELECT id, source_hash FROM article WHERE id = ANY(\(chunk))", logger: logger) {
                hashes[try row.get("id")] = try row.get("source_hash", as: String.self)
            }
        }
        return hashes
    }

    private func save(
        _ article: PreparedArticle, stored: inout [String: StoredStory], now: Date, taxa: inout PostgresTaxonCache,
        summary: inout SaveSummary, connection: PostgresConnection
    ) async throws {
        let submission = article.submission
        let existing = stored[submission.id.rawValue]
        if let existing, existing.hash == article.hash {
            // The same story twice in one batch.
            summary.updated += 1
            summary.unchanged += 1
            return
        }
        let published: Int64 = submission.published.map { Int64($0.timeIntervalSince1970) }
            ?? existing?.published ?? Int64(now.timeIntervalSince1970)
        let written = try await Self.write(
            article, over: existing?.number, slug: submission.slug ?? existing?.slug ?? Slug.make(from: article.slugSource),
            published: published,
            // A new story was last changed when it was published; only a later save is a correction.
            updated: existing == nil ? published : Int64(now.timeIntervalSince1970),
            hash: article.hash, newsroom: nil, now: now, taxa: &taxa, connection: connection, logger: logger)
        stored[submission.id.rawValue] = StoredStory(
            number: written.number, slug: written.slug, hash: article.hash, published: published)
        if existing == nil { summary.inserted += 1 } else { summary.updated += 1 }
    }

    /// Rows a multi-row insert carries at most: 22 parameters each, well under PostgreSQL's 65,535 a statement.
    static let rowsPerInsert = 1_000

    /// Stories with no row yet and none of them given twice, as `write` would insert them one by one (same slugs,
    /// numbers in the same order), in one statement for their rows and one for their countries and tags.
    private func insertNew(
        _ articles: [PreparedArticle], stored: inout [String: StoredStory], now: Date, taxa: inout PostgresTaxonCache,
        summary: inout SaveSummary, connection: PostgresConnection
    ) async throws {
        guard !articles.isEmpty else { return }
        let bases = articles.map { $0.submission.slug ?? Slug.make(from: $0.slugSource) }
        var taken = Set(
            try await connection.values(
                """
                SELECT slug FROM article WHERE slug = ANY(\(bases))
                UNION SELECT old_slug FROM slug_redirect WHERE old_slug = ANY(\(bases))
                """, as: String.self, logger: logger))
        var rows: [StoryRow] = []
        for (article, base) in zip(articles, bases) {
            let submission = article.submission
            // A base slug free in the database and in this batch is the slug; else the next free variant.
            let slug = taken.contains(base)
                ? try await Self.uniqueSlug(base, excluding: nil, alsoTaken: taken, connection: connection, logger: logger)
                : base
            taken.insert(slug)
            let published = submission.published.map { Int64($0.timeIntervalSince1970) } ?? Int64(now.timeIntervalSince1970)
            rows.append(
                try await StoryRow(
                    article, slug: slug, published: published, updated: published, hash: article.hash, newsroom: nil,
                    now: now, taxa: &taxa, connection: connection, logger: logger))
        }
        let numbers = try await Self.insert(rows, connection: connection, logger: logger)
        var placements = Placements()
        for row in rows {
            let id = row.article.submission.id.rawValue
            guard let number = numbers[id] else {
                throw StorageError.databaseFailed(reason: "inserting the story \(id) returned no number")
            }
            stored[id] = StoredStory(number: number, slug: row.slug, hash: row.hash, published: row.published)
            summary.inserted += 1
            try await placements.add(row.article.submission, number: number, taxa: &taxa, connection: connection, logger: logger)
        }
        try await placements.write(connection: connection, logger: logger)
    }

    /// A story's row, its values worked out, to insert or to update by.
    struct StoryRow {
        let article: PreparedArticle
        let slug: String
        let published: Int64?
        let updated: Int64
        let hash: String
        let authorID: Int64?
        let sectionID: Int64?
        let created: Int64
        let newsroom: NewsroomColumns?

        init(
            _ article: PreparedArticle, slug: String, published: Int64?, updated: Int64, hash: String,
            newsroom: NewsroomColumns?, now: Date, taxa: inout PostgresTaxonCache, connection: PostgresConnection,
            logger: Logger
        ) async throws {
            let submission = article.submission
            (self.article, self.slug, self.published, self.updated, self.hash) = (article, slug, published, updated, hash)
            sectionID = try await submission.section.asyncMap {
                try await taxa.id(of: Section(named: $0), in: .section, connection: connection, logger: logger)
            }
            authorID = try await submission.author.asyncMap {
                try await taxa.id(of: Byline(named: $0), in: .author, connection: connection, logger: logger)
            }
            created = Int64(now.timeIntervalSince1970)
            self.newsroom = newsroom
        }
    }

    /// Inserts the rows, new stories all, in one statement (at most `rowsPerInsert`) and gives each story's number by its id.
    static func insert(_ rows: [StoryRow], connection: PostgresConnection, logger: Logger) async throws -> [String: Int64] {
        var statement = SQLBuilder(
            """
            INSERT INTO article (slug, title, standfirst, body, body_html, body_text, excerpt, author_id, section_id,
                language, status, published_at, updated_at, first_published_at, id, source_hash, created_at, owner_id,
                publish_at, image_url, image_caption, image_credit, image_media)
            VALUES
            """)
        for (place, row) in rows.enumerated() {
            let (article, submission) = (row.article, row.article.submission)
            statement.append(place == 0 ? "(" : ", (", binding: row.slug)
            for text in [submission.title, submission.standfirst, submission.body, article.html, article.text, article.excerpt] {
                statement.append(", ", binding: text)
            }
            statement.append(", ", binding: row.authorID)
            statement.append(", ", binding: row.sectionID)
            statement.append(", ", binding: submission.language.rawValue)
            statement.append(", ", binding: submission.status.rawValue)
            statement.append(", ", binding: row.published)
            statement.append(", ", binding: row.updated)
            statement.append(", ", binding: submission.status == .published ? row.published : Int64?.none)
            statement.append(", ", binding: submission.id.rawValue)
            statement.append(", ", binding: row.hash)
            statement.append(", ", binding: row.created)
            statement.append(", ", binding: row.newsroom?.owner?.rawValue)
            // An imported scheduled story (a WordPress `future` post) goes out at its date.
            statement.append(", ", binding: row.newsroom?.publishAtSeconds ?? (submission.status == .scheduled ? row.published : nil))
            statement.append(", ", binding: row.newsroom?.image?.url)
            statement.append(", ", binding: row.newsroom?.image?.caption ?? "")
            statement.append(", ", binding: row.newsroom?.image?.credit ?? "")
            statement.append(", ", binding: row.newsroom.map { $0.image?.media } ?? submission.image, ")")
        }
        statement.append(" RETURNING id, number")
        var numbers: [String: Int64] = [:]
        for found in try await connection.rows(statement.query, logger: logger) {
            numbers[try found.get("id")] = try found.get("number", as: Int64.self)
        }
        return numbers
    }

    /// Stories' countries and tags, in their order, for one statement that puts them all in place.
    struct Placements {
        private var stories: [Int64] = []
        private var countries = (codes: [String](), numbers: [Int64](), positions: [Int]())
        private var tags = (ids: [Int64](), numbers: [Int64](), positions: [Int]())

        /// The story's countries (each once already, as `PreparedArticle` leaves them) and tags, each tag once, at
        /// the place the submission first gives it.
        mutating func add(
            _ submission: ArticleSubmission, number: Int64, taxa: inout PostgresTaxonCache, connection: PostgresConnection,
            logger: Logger
        ) async throws {
            stories.append(number)
            for (position, country) in submission.countries.enumerated() {
                countries.codes.append(country.code)
                countries.numbers.append(number)
                countries.positions.append(position)
            }
            var tagIDs: Set<Int64> = []
            for (position, name) in submission.tags.enumerated() {
                let tagID = try await taxa.id(of: Tag(named: name), in: .tag, connection: connection, logger: logger)
                guard tagIDs.insert(tagID).inserted else { continue }
                tags.ids.append(tagID)
                tags.numbers.append(number)
                tags.positions.append(position)
            }
        }

        /// One round trip: the countries and tags the stories no longer have go, the others are put in their places.
        /// The rows deleted and the rows written never overlap, so the parts of the statement cannot disagree.
        func write(connection: PostgresConnection, logger: Logger) async throws {
            guard !stories.isEmpty else { return }
            try await connection.execute(
                """
                WITH placed_countries AS (
                    SELECT * FROM unnest(\(countries.codes)::text[], \(countries.numbers)::bigint[],
                        \(countries.positions)::bigint[]) AS p(code, number, position)
                ), placed_tags AS (
                    SELECT * FROM unnest(\(tags.ids)::bigint[], \(tags.numbers)::bigint[], \(tags.positions)::bigint[])
                        AS p(id, number, position)
                ), former_countries AS (
                    DELETE FROM article_country c WHERE c.article_number = ANY(\(stories)) AND NOT EXISTS (
                        SELECT 1 FROM placed_countries p WHERE p.number = c.article_number AND p.code = c.country_code)
                ), former_tags AS (
                    DELETE FROM article_tag t WHERE t.article_number = ANY(\(stories)) AND NOT EXISTS (
                        SELECT 1 FROM placed_tags p WHERE p.number = t.article_number AND p.id = t.tag_id)
                ), countries AS (
                    INSERT INTO article_country (country_code, article_number, position)
                    SELECT code, number, position FROM placed_countries
                    ON CONFLICT (country_code, article_number) DO UPDATE SET position = excluded.position
                )
                INSERT INTO article_tag (tag_id, article_number, position)
                SELECT id, number, position FROM placed_tags
                ON CONFLICT (tag_id, article_number) DO UPDATE SET position = excluded.position
                """, logger: logger)
        }
    }

    /// The columns only the newsroom sets; an import leaves them as they are.

    /// The one write path for imports and the newsroom: inserts the story or updates the one numbered `number`, with
    /// its countries and tags, and returns its number and slug. A newsroom update keeps the source's `hash`, so
    /// re-importing an unchanged file neither reverts the newsroom's corrections nor republishes what it took down.
    /// Call it inside `PostgresDatabase.write`, whose lock keeps the chosen slug free until the commit.
    static func write(
        _ article: PreparedArticle, over number: Int64?, slug base: String, published: Int64?, updated: Int64,
        hash: String, newsroom: NewsroomColumns?, now: Date, taxa: inout PostgresTaxonCache,
        connection: PostgresConnection, logger: Logger
    ) async throws -> (number: Int64, slug: String) {
        let submission = article.submission
        let slug = try await uniqueSlug(base, excluding: number, connection: connection, logger: logger)
        let row = try await StoryRow(
            article, slug: slug, published: published, updated: updated, hash: hash, newsroom: newsroom, now: now,
            taxa: &taxa, connection: connection, logger: logger)
        let (authorID, sectionID) = (row.authorID, row.sectionID)
        let firstPublished = submission.status == .published ? published : nil
        let (status, language) = (submission.status.rawValue, submission.language.rawValue)
        let articleNumber: Int64
        if let number {
            if let newsroom {
                let (image, caption, credit) = (newsroom.image?.url, newsroom.image?.caption ?? "", newsroom.image?.credit ?? "")
                try await connection.execute(
                    """
                    UPDATE article SET slug = \(slug), title = \(submission.title), standfirst = \(submission.standfirst),
                        body = \(submission.body), body_html = \(article.html), body_text = \(article.text),
                        excerpt = \(article.excerpt), author_id = \(authorID), section_id = \(sectionID),
                        language = \(language), status = \(status), published_at = \(published),
                        updated_at = \(updated), first_published_at = COALESCE(first_published_at, \(firstPublished)),
                        publish_at = \(newsroom.publishAtSeconds), image_url = \(image), image_caption = \(caption),
                        image_credit = \(credit), image_media = \(newsroom.image?.media)
                    WHERE number = \(number)
                    """, logger: logger)
            } else {
                // A scheduled time means nothing once an import has given the story another status.
                try await connection.execute(
                    """
                    UPDATE article SET slug = \(slug), title = \(submission.title), standfirst = \(submission.standfirst),
                        body = \(submission.body), body_html = \(article.html), body_text = \(article.text),
                        excerpt = \(article.excerpt), author_id = \(authorID), section_id = \(sectionID),
                        language = \(language), status = \(status), published_at = \(published),
                        updated_at = \(updated), first_published_at = COALESCE(first_published_at, \(firstPublished)),
                        source_hash = \(hash), publish_at = CASE WHEN \(status) = 'scheduled' THEN COALESCE(publish_at, published_at) END,
                        image_media = COALESCE(\(submission.image), image_media)
                    WHERE number = \(number)
                    """, logger: logger)
            }
            articleNumber = number
        } else {
            guard let inserted = try await insert([row], connection: connection, logger: logger)[submission.id.rawValue]
            else { throw StorageError.databaseFailed(reason: "inserting the story \(submission.id.rawValue) returned no number") }
            articleNumber = inserted
        }
        var placements = Placements()
        try await placements.add(submission, number: articleNumber, taxa: &taxa, connection: connection, logger: logger)
        try await placements.write(connection: connection, logger: logger)
        return (articleNumber, slug)
    }

    /// The asked-for slug, or the first of "slug-2", "slug-3" … that no other story uses now or used to use: a
    /// published story's old address keeps redirecting to it.
    private static func uniqueSlug(
        _ base: String, excluding number: Int64?, alsoTaken: Set<String> = [], connection: PostgresConnection,
        logger: Logger
    ) async throws -> String {
        var attempt = 1
        while true {
            let candidate = Slug.variant(base, number: attempt)
            if alsoTaken.contains(candidate) {
                attempt += 1
                continue
            }
            let owners = try await connection.values(
                """
                SELECT number FROM article WHERE slug = \(candidate)
                UNION SELECT article_number FROM slug_redirect WHERE old_slug = \(candidate)
                """, as: Int64.self, logger: logger)
            if owners.allSatisfy({ $0 == number }) { return candidate }
            attempt += 1
        }
    }

    public func article(slug: String) async throws -> Article? {
        try await database.readPublished { connection in
            let numbers = try await connection.values(
                "SELECT number FROM article WHERE slug = \(slug) AND status = 'published'", as: Int64.self, logger: logger)
            return try await Self.articles(numbers, connection: connection, logger: logger).first
        }
    }

    public func article(id: Article.ID) async throws -> Article? {
        try await database.read { connection in
            let numbers = try await connection.values(
                "SELECT number FROM article WHERE id = \(id.rawValue)", as: Int64.self, logger: logger)
            return try await Self.articles(numbers, connection: connection, logger: logger).first
        }
    }

    /// Whole stories for these numbers, in the order given, in three queries however many there are.
    static func articles(_ numbers: [Int64], connection: PostgresConnection, logger: Logger) async throws -> [Article] {
        guard !numbers.isEmpty else { return [] }
        let rows = try await connection.rows(
            """
            SELECT a.number, a.id, a.slug, a.title, a.standfirst, a.body, a.body_html, a.excerpt, a.language, a.status,
                a.published_at, a.updated_at, a.image_url, a.image_caption, a.image_credit, a.image_media,
                s.name AS section_name, s.slug AS section_slug, w.name AS author_name, w.slug AS author_slug
            FROM article a LEFT JOIN section s ON s.id = a.section_id LEFT JOIN author w ON w.id = a.author_id
            WHERE a.number = ANY(\(numbers))
            """, logger: logger)
        let countries = try await countries(of: numbers, connection: connection, logger: logger)
        var tags: [Int64: [Tag]] = [:]
        for row in try await connection.rows(
            """
            SELECT at.article_number, t.name, t.slug FROM article_tag at JOIN tag t ON t.id = at.tag_id
            WHERE at.article_number = ANY(\(numbers)) ORDER BY at.position
            """, logger: logger)
        {
            tags[try row.get("article_number"), default: []].append(Tag(name: try row.get("name"), slug: try row.get("slug")))
        }
        var byNumber: [Int64: Article] = [:]
        for row in rows {
            let number: Int64 = try row.get("number")
            byNumber[number] = Article(
                id: Article.ID(try row.get("id", as: String.self)), slug: try row.get("slug"), title: try row.get("title"),
                standfirst: try row.get("standfirst"), body: try row.get("body"), bodyHTML: try row.get("body_html"),
                excerpt: try row.get("excerpt"), author: try taxon(row, "author"), section: try taxon(row, "section"),
                countries: countries[number] ?? [], tags: tags[number] ?? [],
                language: Article.Language(rawValue: try row.get("language")) ?? .en,
                status: Article.Status(rawValue: try row.get("status")) ?? .draft,
                published: try date(row.get("published_at")),
                updated: Date(timeIntervalSince1970: TimeInterval(try row.get("updated_at", as: Int64.self))),
                image: try (row.get("image_url", as: String?.self) ?? row.get("image_media", as: String?.self).map { _ in "" }).map {
                    FeaturedImage(
                        url: $0, caption: try row.get("image_caption"), credit: try row.get("image_credit"),
                        media: try row.get("image_media", as: String?.self))
                })
        }
        return numbers.compactMap { byNumber[$0] }
    }

    public func articles(_ query: ArticleQuery) async throws -> ArticleQueryPage {
        var filter = SQLBuilder("FROM article a WHERE a.status = 'published'")
        if let country = query.country {
            filter.append(
                " AND EXISTS (SELECT 1 FROM article_country c WHERE c.article_number = a.number AND c.country_code = ",
                binding: country.code, ")")
        }
        if let slug = query.sectionSlug {
            filter.append(" AND a.section_id = (SELECT id FROM section WHERE slug = ", binding: slug, ")")
        }
        if let slug = query.authorSlug {
            filter.append(" AND a.author_id = (SELECT id FROM author WHERE slug = ", binding: slug, ")")
        }
        if let slug = query.tagSlug {
            filter.append(
                " AND EXISTS (SELECT 1 FROM article_tag at JOIN tag t ON t.id = at.tag_id WHERE at.article_number = a.number AND t.slug = ",
                binding: slug, ")")
        }
        if let language = query.language {
            filter.append(" AND a.language = ", binding: language.rawValue)
        }
        if let from = query.publishedFrom {
            filter.append(" AND a.published_at >= ", binding: Int64(from.timeIntervalSince1970.rounded(.up)))
        }
        if let to = query.publishedTo {
            filter.append(" AND a.published_at <= ", binding: Int64(to.timeIntervalSince1970.rounded(.down)))
        }
        let perPage = max(1, query.perPage)
        let order = query.sort == .newest ? Self.newestFirst : "a.published_at ASC NULLS FIRST, a.number ASC"
        return try await database.readPublished { connection in
            // Counting and paging inside one snapshot keeps the total true to the rows on the page.
            let total = try await connection.value(filter.prefixed("SELECT count(*) ").query, as: Int.self, logger: logger) ?? 0
            let range = ResultRange(total: total, page: query.page, perPage: perPage)
            guard !range.isPastEnd else { return ArticleQueryPage(range: range, articles: []) }
            var page = filter.prefixed("SELECT a.number ")
            page.append(" ORDER BY \(order) LIMIT ", binding: range.perPage)
            page.append(" OFFSET ", binding: range.offset)
            let numbers = try await connection.values(page.query, as: Int64.self, logger: logger)
            return ArticleQueryPage(range: range, articles: try await Self.articles(numbers, connection: connection, logger: logger))
        }
    }

    /// SQLite puts missing publication times last when newest come first; PostgreSQL is told to do the same.
    static let newestFirst = "a.published_at DESC NULLS LAST, a.number DESC"

    public func listing(_ listing: Listing, page: Int, perPage: Int) async throws -> ListingPage? {
        try await database.readPublished { connection in
            let name: String?
            var from = SQLBuilder()
            switch listing {
            case .latest:
                name = nil
                from.append("article a WHERE a.status = 'published'")
            case .country(let country):
                name = country.name
                from.append(
                    "article_country c JOIN article a ON a.number = c.article_number WHERE c.country_code = ",
                    binding: country.code, " AND a.status = 'published'")
            case .section(let slug):
                guard let section = try await connection.rows("SELECT id, name FROM section WHERE slug = \(slug)", logger: logger).first
                else { return nil }
                name = try section.get("name")
                from.append("article a WHERE a.section_id = ", binding: try section.get("id", as: Int64.self), " AND a.status = 'published'")
            case .author(let slug):
                guard let author = try await connection.rows("SELECT id, name FROM author WHERE slug = \(slug)", logger: logger).first
                else { return nil }
                name = try author.get("name")
                from.append("article a WHERE a.author_id = ", binding: try author.get("id", as: Int64.self), " AND a.status = 'published'")
            case .tag(let slug):
                guard let tag = try await connection.rows("SELECT id, name FROM tag WHERE slug = \(slug)", logger: logger).first
                else { return nil }
                name = try tag.get("name")
                from.append(
                    "article_tag t JOIN article a ON a.number = t.article_number WHERE t.tag_id = ",
                    binding: try tag.get("id", as: Int64.self), " AND a.status = 'published'")
            }
            // The total and the page come from the same snapshot, so the range never disagrees with the rows.
            let total = try await connection.value(from.prefixed("SELECT count(*) FROM ").query, as: Int.self, logger: logger) ?? 0
            let range = ResultRange(total: total, page: page, perPage: perPage)
            guard !range.isPastEnd else { return ListingPage(name: name, range: range, teasers: []) }
            var rows = from.prefixed("SELECT a.number FROM ")
            rows.append(" ORDER BY \(Self.newestFirst) LIMIT ", binding: perPage)
            rows.append(" OFFSET ", binding: range.offset)
            let numbers = try await connection.values(rows.query, as: Int64.self, logger: logger)
            return ListingPage(name: name, range: range, teasers: try await Self.teasers(numbers, connection: connection, logger: logger))
        }
    }

    public func related(to article: Article, limit: Int) async throws -> [Teaser] {
        try await database.readPublished { connection in
            // Shared tags count double: they say more about a story than a shared country does.
            let numbers = try await connection.values(
                """
                WITH me AS (SELECT number FROM article WHERE id = \(article.id.rawValue)),
                shared AS (
                    SELECT c2.article_number AS number, 1 AS weight FROM article_country c1
                    JOIN article_country c2 ON c2.country_code = c1.country_code
                    WHERE c1.article_number = (SELECT number FROM me)
                    UNION ALL
                    SELECT t2.article_number, 2 FROM article_tag t1 JOIN article_tag t2 ON t2.tag_id = t1.tag_id
                    WHERE t1.article_number = (SELECT number FROM me)
                )
                SELECT a.number FROM shared s JOIN article a ON a.number = s.number
                WHERE a.number != (SELECT number FROM me) AND a.status = 'published'
                GROUP BY a.number ORDER BY sum(s.weight) DESC, a.published_at DESC NULLS LAST LIMIT \(limit)
                """, as: Int64.self, logger: logger)
            return try await Self.teasers(numbers, connection: connection, logger: logger)
        }
    }

    public func latestByCountry(limit: Int) async throws -> [Country: [Teaser]] {
        try await database.readPublished { connection in
            // One query for every country: each country's newest stories, ranked within the country.
            let rows = try await connection.rows(
                """
                SELECT country_code, number FROM (
                    SELECT c.country_code, a.number, row_number() OVER (
                        PARTITION BY c.country_code ORDER BY \(unescaped: Self.newestFirst)) AS rank
                    FROM article_country c JOIN article a ON a.number = c.article_number
                    WHERE a.status = 'published'
                ) ranked
                WHERE rank <= \(limit) ORDER BY country_code, rank
                """, logger: logger)
            var numbersByCountry: [Country: [Int64]] = [:]
            for row in rows {
                guard let country = Country(code: try row.get("country_code")) else { continue }
                numbersByCountry[country, default: []].append(try row.get("number"))
            }
            // A story in two countries is read once.
            let teasers = try await Self.teasersByNumber(
                Array(Set(numbersByCountry.values.joined())), connection: connection, logger: logger)
            return numbersByCountry.mapValues { numbers in numbers.compactMap { teasers[$0] } }
        }
    }

    public func sections() async throws -> [Section] {
        try await database.readPublished { connection in
            // Ordered byte by byte, as SQLite orders text, whatever the server's locale.
            try await connection.rows(
                """
                SELECT s.name, s.slug FROM section s
                WHERE EXISTS (SELECT 1 FROM article a WHERE a.section_id = s.id AND a.status = 'published')
                ORDER BY s.name COLLATE "C"
                """, logger: logger
            ).map { Section(name: try $0.get("name"), slug: try $0.get("slug")) }
        }
    }

    public func count() async throws -> Int {
        try await database.read { connection in
            try await connection.value("SELECT count(*) FROM article", as: Int.self, logger: logger) ?? 0
        }
    }

    public func slugs(of ids: [Article.ID]) async throws -> [Article.ID: String] {
        guard !ids.isEmpty else { return [:] }
        return try await database.read { connection in
            var slugs: [Article.ID: String] = [:]
            for row in try await connection.rows(
                "SELECT id, slug FROM article WHERE id = ANY(\(ids.map(\.rawValue)))", logger: logger)
            {
                slugs[Article.ID(try row.get("id", as: String.self))] = try row.get("slug")
            }
            return slugs
        }
    }

    public func contentVersion() async throws -> Int64 {
        try await database.contentVersion()
    }

    public func publishedCount() async throws -> Int {
        try await database.readPublished { connection in
            try await connection.value("SELECT count(*) FROM article WHERE status = 'published'", as: Int.self, logger: logger) ?? 0
        }
    }

    public func sitemapEntries(offset: Int, limit: Int) async throws -> [SitemapEntry] {
        try await database.readPublished { connection in
            try await connection.rows(
                """
                SELECT id, slug, title, language, published_at, updated_at FROM article
                WHERE status = 'published' ORDER BY number LIMIT \(limit) OFFSET \(offset)
                """, logger: logger
            ).map(Self.sitemapEntry)
        }
    }

    public func sitemapEntries(publishedFrom from: Date, to: Date, limit: Int) async throws -> [SitemapEntry] {
        let (first, last) = (Int64(from.timeIntervalSince1970.rounded(.up)), Int64(to.timeIntervalSince1970.rounded(.down)))
        return try await database.readPublished { connection in
            try await connection.rows(
                """
                SELECT id, slug, title, language, published_at, updated_at FROM article
                WHERE status = 'published' AND published_at BETWEEN \(first) AND \(last)
                ORDER BY published_at DESC, number DESC LIMIT \(limit)
                """, logger: logger
            ).map(Self.sitemapEntry)
        }
    }

    private static func sitemapEntry(_ row: PostgresRandomAccessRow) throws -> SitemapEntry {
        SitemapEntry(
            id: Article.ID(try row.get("id", as: String.self)), slug: try row.get("slug"), title: try row.get("title"),
            language: Article.Language(rawValue: try row.get("language")) ?? .en,
            published: try date(row.get("published_at")),
            updated: Date(timeIntervalSince1970: TimeInterval(try row.get("updated_at", as: Int64.self))))
    }

    /// Teasers for these stories, in the order given.
    static func teasers(_ numbers: [Int64], connection: PostgresConnection, logger: Logger) async throws -> [Teaser] {
        let teasers = try await teasersByNumber(numbers, connection: connection, logger: logger)
        return numbers.compactMap { teasers[$0] }
    }

    static func teasersByNumber(
        _ numbers: [Int64], connection: PostgresConnection, logger: Logger
    ) async throws -> [Int64: Teaser] {
        try await teasersByNumber(numbers, withTexts: false, connection: connection, logger: logger).byNumber
            .mapValues(\.teaser)
    }

    /// A page of search results' stories: teasers, and with `withTexts` the texts search marks its matches in.
    struct SearchedStories {
        var byNumber: [Int64: (teaser: Teaser, text: ArchiveSearch.Text?)] = [:]
        /// The content version and the search change log's last sequence number the statement saw, when asked.
        var positions: (version: Int64, sequence: Int64)? = nil
    }

    /// Teasers, and with `withTexts` the title, standfirst and plain body that search marks its matches in, read by
    /// one statement (the countries in each story's row); with `positions`, what the statement's snapshot had seen
    /// of the content version and the search change log too.
    static func teasersByNumber(
        _ numbers: [Int64], withTexts: Bool, positions: Bool = false, connection: PostgresConnection, logger: Logger
    ) async throws -> SearchedStories {
        guard !numbers.isEmpty || positions else { return SearchedStories() }
        let texts = withTexts ? "a.standfirst, a.body_text" : "NULL::text AS standfirst, NULL::text AS body_text"
        let teasers = """
            SELECT a.number, a.id, a.slug, a.title, a.excerpt, a.published_at,
                s.name AS section_name, s.slug AS section_slug, w.name AS author_name, w.slug AS author_slug,
                (SELECT string_agg(c.country_code, ',' ORDER BY c.position) FROM article_country c
                    WHERE c.article_number = a.number) AS countries,
                \(texts)
            FROM article a LEFT JOIN section s ON s.id = a.section_id LEFT JOIN author w ON w.id = a.author_id
            WHERE a.number = ANY($1)
            """
        // The positions come on every row, and on a row of their own when no story is asked for.
        let sql =
            positions
            ? """
            SELECT p.version, p.sequence, t.* FROM (
                SELECT (SELECT version FROM content_state WHERE id = 1) AS version,
                    (SELECT coalesce(max(sequence), 0) FROM article_search_change) AS sequence
            ) p LEFT JOIN LATERAL (\(teasers)) t ON true
            """ : teasers
        let rows = try await connection.rows(
            PostgresQuery(unsafeSQL: sql, binds: try Self.bindings(numbers)), logger: logger)
        var stories = SearchedStories()
        for row in rows {
            if positions {
                stories.positions = (try row.get("version"), try row.get("sequence"))
            }
            guard let number = try row.get("number", as: Int64?.self) else { continue }
            let countries = (try row.get("countries", as: String?.self) ?? "").split(separator: ",").compactMap {
                Country(code: String($0))
            }
            let teaser = Teaser(
                id: Article.ID(try row.get("id", as: String.self)), slug: try row.get("slug"), title: try row.get("title"),
                excerpt: try row.get("excerpt"), published: try date(row.get("published_at")),
                section: try taxon(row, "section"), countries: countries, author: try taxon(row, "author"))
            let text = try row.get("standfirst", as: String?.self).map { standfirst in
                ArchiveSearch.Text(
                    title: teaser.title, standfirst: standfirst, body: try row.get("body_text", as: String?.self) ?? "")
            }
            stories.byNumber[number] = (teaser, text)
        }
        return stories
    }

    private static func bindings(_ numbers: [Int64]) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(numbers)
        return bindings
    }

    /// The countries of these stories, in the order the newsroom gave them.
    static func countries(of numbers: [Int64], connection: PostgresConnection, logger: Logger) async throws -> [Int64: [Country]] {
        var countries: [Int64: [Country]] = [:]
        for row in try await connection.rows(
            """
            SELECT article_number, country_code FROM article_country
            WHERE article_number = ANY(\(numbers)) ORDER BY position
            """, logger: logger)
        {
            if let country = Country(code: try row.get("country_code")) {
                countries[try row.get("article_number"), default: []].append(country)
            }
        }
        return countries
    }

    static func taxon<T: Taxon>(_ row: PostgresRandomAccessRow, _ prefix: String) throws -> T? {
        guard let name = try row.get("\(prefix)_name", as: String?.self), let slug = try row.get("\(prefix)_slug", as: String?.self)
        else { return nil }
        return T(name: name, slug: slug)
    }

    static func date(_ seconds: Int64?) -> Date? {
        seconds.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }
}

/// The tables of sections, tags and authors, which share one shape.
enum TaxonTable: String, Sendable {
    case section, tag, author
}

/// Section, tag and author ids met in one batch, so each is looked up or created once.
struct PostgresTaxonCache {
    private var ids: [String: Int64] = [:]

    /// Looks up, creating what is missing, every section, author and tag of these stories: six queries in all.
    mutating func prefetch(for submissions: [ArticleSubmission], connection: PostgresConnection, logger: Logger) async throws {
        try await prefetch(submissions.compactMap(\.section).map(Section.init(named:)), in: .section, connection: connection, logger: logger)
        try await prefetch(submissions.compactMap(\.author).map(Byline.init(named:)), in: .author, connection: connection, logger: logger)
        try await prefetch(submissions.flatMap(\.tags).map(Tag.init(named:)), in: .tag, connection: connection, logger: logger)
    }

    private mutating func prefetch(
        _ taxa: [some Taxon], in table: TaxonTable, connection: PostgresConnection, logger: Logger
    ) async throws {
        // The first name met for a slug is the one stored, as when they are created one by one.
        var (slugs, names, seen) = ([String](), [String](), Set<String>())
        for taxon in taxa where ids["\(table.rawValue)/\(taxon.slug)"] == nil && seen.insert(taxon.slug).inserted {
            slugs.append(taxon.slug)
            names.append(taxon.name)
        }
        guard !slugs.isEmpty else { return }
        try await connection.execute(
            """
            INSERT INTO \(unescaped: table.rawValue) (slug, name) SELECT * FROM unnest(\(slugs)::text[], \(names)::text[])
            ON CONFLICT (slug) DO NOTHING
            """, logger: logger)
        for row in try await connection.rows(
            "SELECT id, slug FROM \(unescaped: table.rawValue) WHERE slug = ANY(\(slugs))", logger: logger)
        {
            ids["\(table.rawValue)/\(try row.get("slug", as: String.self))"] = try row.get("id", as: Int64.self)
        }
    }

    mutating func id(
        of taxon: some Taxon, in table: TaxonTable, connection: PostgresConnection, logger: Logger
    ) async throws -> Int64 {
        let key = "\(table.rawValue)/\(taxon.slug)"
        if let id = ids[key] { return id }
        // The table name comes from the enum above, never from input.
        let id: Int64
        if let found = try await connection.value(
            "SELECT id FROM \(unescaped: table.rawValue) WHERE slug = \(taxon.slug)", as: Int64.self, logger: logger)
        {
            id = found
        } else if let created = try await connection.value(
            "INSERT INTO \(unescaped: table.rawValue) (slug, name) VALUES (\(taxon.slug), \(taxon.name)) RETURNING id",
            as: Int64.self, logger: logger)
        {
            id = created
        } else {
            throw StorageError.databaseFailed(reason: "creating the \(table.rawValue) \"\(taxon.name)\" returned no id")
        }
        ids[key] = id
        return id
    }
}

/// SQL whose text is assembled from fixed pieces while every value goes in as a `$n` parameter.
struct SQLBuilder {
    private(set) var sql: String
    private(set) var binds = PostgresBindings()

    init(_ sql: String = "") {
        self.sql = sql
    }

    mutating func append(_ fragment: String) {
        sql += fragment
    }

    /// Appends `head`, a placeholder for `value` (the next parameter), and `tail`.
    mutating func append<Value: PostgresDynamicTypeEncodable>(_ head: String, binding value: Value, _ tail: String = "") {
        binds.append(value)
        sql += head + "$\(binds.count)" + tail
    }

    /// The same for a value that may be absent: NULL then.
    mutating func append<Value: PostgresDynamicTypeEncodable>(_ head: String, binding value: Value?, _ tail: String = "") {
        binds.append(value)
        sql += head + "$\(binds.count)" + tail
    }

    /// The same statement with `head` in front (its parameters are unchanged).
    func prefixed(_ head: String) -> SQLBuilder {
        var copy = self
        copy.sql = head + sql
        return copy
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}

extension Optional {
    /// `map` for an async transform.
    func asyncMap<Result>(_ transform: (Wrapped) async throws -> Result) async rethrows -> Result? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

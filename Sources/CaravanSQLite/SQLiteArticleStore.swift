import CaravanCore
import CaravanStorage
import Foundation
import GRDB

/// The article store on SQLite.
public struct SQLiteArticleStore: ArticleStore {
    let database: SQLiteDatabase
    /// Used for stories saved without a publication time.
    let clock: @Sendable () -> Date

    public init(database: SQLiteDatabase, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.clock = clock
    }

    public func save(_ submissions: [ArticleSubmission]) async throws -> SaveSummary {
        let now = clock()
        // Stories whose fingerprint is already stored need no rendering and no write.
        let hashes = submissions.map(Fingerprint.of)
        let stored = try await database.writer.read { db in
            try Self.storedHashes(ids: submissions.map(\.id.rawValue), db: db)
        }
        let changed = zip(submissions, hashes).filter { stored[$0.0.id.rawValue] != $0.1 }.map(\.0)
        // Rendering Markdown is the slow part: spread it over the cores, before taking the write lock.
        let prepared = await PreparedArticle.prepareConcurrently(changed)
        let unchanged = submissions.count - changed.count
        return try await database.writer.write { db in
            var summary = SaveSummary(updated: unchanged, unchanged: unchanged)
            var taxa = TaxonCache()
            for article in prepared {
                try save(article, now: now, taxa: &taxa, summary: &summary, db: db)
            }
            return summary
        }
    }

    static func storedHashes(ids: [String], db: Database) throws -> [String: String] {
        var hashes: [String: String] = [:]
        // SQLite allows 32766 parameters; batches are far smaller, but chunk anyway.
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            for row in try Row.fetchAll(
                db, sql: "SELECT id, source_hash FROM article WHERE id IN (\(marks))",
                arguments: StatementArguments(chunk))
            {
                hashes[row["id"]] = row["source_hash"]
            }
        }
        return hashes
    }

    private func save(
        _ article: PreparedArticle, now: Date, taxa: inout TaxonCache, summary: inout SaveSummary, db: Database
    ) throws {
        let submission = article.submission
        let existing = try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT number, slug, source_hash, published_at FROM article WHERE id = ?"),
            arguments: [submission.id.rawValue])
        if let existing, existing["source_hash"] as String == article.hash {
            // The same story twice in one batch.
            summary.updated += 1
            summary.unchanged += 1
            return
        }
        let number: Int64? = existing?["number"]
        let published: Int64 =
            submission.published.map { Int64($0.timeIntervalSince1970) }
            ?? existing?["published_at"] ?? Int64(now.timeIntervalSince1970)
        _ = try Self.write(
            article, over: number, slug: submission.slug ?? existing?["slug"] ?? Slug.make(from: article.slugSource),
            published: published,
            // A new story was last changed when it was published; only a later save is a correction.
            updated: number == nil ? published : Int64(now.timeIntervalSince1970),
            hash: article.hash, newsroom: nil, now: now, taxa: &taxa, db: db)
        if number == nil { summary.inserted += 1 } else { summary.updated += 1 }
    }

    /// The one write path for imports and the newsroom: inserts the story or updates the one numbered `number`, with
    /// its countries and tags, and returns its number and slug. A newsroom update keeps the source's `hash`, so
    /// re-importing an unchanged file neither reverts the newsroom's corrections nor republishes what it took down.
    static func write(
        _ article: PreparedArticle, over number: Int64?, slug base: String, published: Int64?, updated: Int64,
        hash: String, newsroom: NewsroomColumns?, now: Date, taxa: inout TaxonCache, db: Database
    ) throws -> (number: Int64, slug: String) {
        let submission = article.submission
        let slug = try uniqueSlug(base, excluding: number, db: db)
        let sectionID = try submission.section.map { try taxa.id(of: Section(named: $0), table: "section", db: db) }
        let authorID = try submission.author.map { try taxa.id(of: Byline(named: $0), table: "author", db: db) }
        let firstPublished = submission.status == .published ? published : nil
        let arguments: StatementArguments = [
            slug, submission.title, submission.standfirst, submission.body, article.html, article.text, article.excerpt,
            authorID, sectionID, submission.language.rawValue, submission.status.rawValue, published, updated,
        ]
        let articleNumber: Int64
        if let number {
            if let newsroom {
                try db.cachedStatement(
                    sql: """
                        UPDATE article SET slug = ?, title = ?, standfirst = ?, body = ?, body_html = ?, body_text = ?,
                            excerpt = ?, author_id = ?, section_id = ?, language = ?, status = ?, published_at = ?,
                            updated_at = ?, first_published_at = COALESCE(first_published_at, ?), publish_at = ?,
                            image_url = ?, image_caption = ?, image_credit = ?, image_media = ?
                        WHERE number = ?
                        """
                ).execute(
                    arguments: arguments + [
                        firstPublished, newsroom.publishAtSeconds, newsroom.image?.url,
                        newsroom.image?.caption ?? "", newsroom.image?.credit ?? "", newsroom.image?.media, number,
                    ])
            } else {
                // A scheduled time means nothing once an import has given the story another status.
                try db.cachedStatement(
                    sql: """
                        UPDATE article SET slug = ?, title = ?, standfirst = ?, body = ?, body_html = ?, body_text = ?,
                            excerpt = ?, author_id = ?, section_id = ?, language = ?, status = ?, published_at = ?,
                            updated_at = ?, first_published_at = COALESCE(first_published_at, ?), source_hash = ?,
                            publish_at = CASE WHEN ? = 'scheduled' THEN COALESCE(publish_at, published_at) END,
                            image_media = COALESCE(?, image_media)
                        WHERE number = ?
                        """
                ).execute(arguments: arguments + [firstPublished, hash, submission.status.rawValue, submission.image, number])
            }
            try db.cachedStatement(sql: "DELETE FROM article_country WHERE article_number = ?").execute(arguments: [
                number
            ])
            try db.cachedStatement(sql: "DELETE FROM article_tag WHERE article_number = ?").execute(arguments: [number])
            articleNumber = number
        } else {
            try db.cachedStatement(
                sql: """
                    INSERT INTO article (slug, title, standfirst, body, body_html, body_text, excerpt, author_id,
                        section_id, language, status, published_at, updated_at, first_published_at, id, source_hash,
                        created_at, owner_id, publish_at, image_url, image_caption, image_credit, image_media)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(
                arguments: arguments + [
                    firstPublished, submission.id.rawValue, hash, Int64(now.timeIntervalSince1970),
                    // An imported scheduled story (a WordPress `future` post) goes out at its date.
                    newsroom?.owner?.rawValue, newsroom?.publishAtSeconds ?? (submission.status == .scheduled ? published : nil),
                    newsroom?.image?.url, newsroom?.image?.caption ?? "", newsroom?.image?.credit ?? "",
                    newsroom.map { $0.image?.media } ?? submission.image,
                ])
            articleNumber = db.lastInsertedRowID
        }
        for (position, country) in submission.countries.enumerated() {
            try db.cachedStatement(
                sql: "INSERT INTO article_country (country_code, article_number, position) VALUES (?, ?, ?)"
            ).execute(arguments: [country.code, articleNumber, position])
        }
        var seenTags = Set<Int64>()
        for (position, name) in submission.tags.enumerated() {
            let tagID = try taxa.id(of: Tag(named: name), table: "tag", db: db)
            guard seenTags.insert(tagID).inserted else { continue }
            try db.cachedStatement(
                sql: "INSERT INTO article_tag (tag_id, article_number, position) VALUES (?, ?, ?)"
            ).execute(arguments: [tagID, articleNumber, position])
        }
        return (articleNumber, slug)
    }

    /// The asked-for slug, or the first of "slug-2", "slug-3" … that no other story uses now or used to use: a
    /// published story's old address keeps redirecting to it.
    private static func uniqueSlug(_ base: String, excluding number: Int64?, db: Database) throws -> String {
        var attempt = 1
        while true {
            let candidate = Slug.variant(base, number: attempt)
            let owners = try Int64.fetchAll(
                try db.cachedStatement(
                    sql:
                        "SELECT number FROM article WHERE slug = ? UNION SELECT article_number FROM slug_redirect WHERE old_slug = ?"
                ),
                arguments: [candidate, candidate])
            if owners.allSatisfy({ $0 == number }) { return candidate }
            attempt += 1
        }
    }

    public func article(slug: String) async throws -> Article? {
        try await database.writer.read { db in
            try fetchArticle(db, condition: "a.slug = ? AND a.status = 'published'", argument: slug)
        }
    }

    public func article(id: Article.ID) async throws -> Article? {
        try await database.writer.read { db in
            try fetchArticle(db, condition: "a.id = ?", argument: id.rawValue)
        }
    }

    private func fetchArticle(_ db: Database, condition: String, argument: String) throws -> Article? {
        guard
            let number = try Int64.fetchOne(
                db, sql: "SELECT a.number FROM article a WHERE \(condition)", arguments: [argument])
        else { return nil }
        return try Self.articles([number], db: db).first
    }

    /// Whole stories for these numbers, in the order given, in three queries however many there are.
    static func articles(_ numbers: [Int64], db: Database) throws -> [Article] {
        guard !numbers.isEmpty else { return [] }
        // The numbers come from the database as integers, so listing them inline cannot inject anything.
        let list = numbers.map(String.init).joined(separator: ",")
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT a.*, s.name AS section_name, s.slug AS section_slug, w.name AS author_name, w.slug AS author_slug,
                    \(countriesColumn)
                FROM article a LEFT JOIN section s ON s.id = a.section_id LEFT JOIN author w ON w.id = a.author_id
                WHERE a.number IN (\(list))
                """)
        var tags: [Int64: [Tag]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT at.article_number, t.name, t.slug FROM article_tag at JOIN tag t ON t.id = at.tag_id
                WHERE at.article_number IN (\(list)) ORDER BY at.position
                """)
        {
            tags[row["article_number"], default: []].append(Tag(name: row["name"], slug: row["slug"]))
        }
        var byNumber: [Int64: Article] = [:]
        for row in rows {
            let number: Int64 = row["number"]
            byNumber[number] = Article(
                id: Article.ID(row["id"] as String), slug: row["slug"], title: row["title"],
                standfirst: row["standfirst"],
                body: row["body"], bodyHTML: row["body_html"], excerpt: row["excerpt"],
                author: taxon(row, "author"), section: taxon(row, "section"), countries: orderedCountries(row["countries"]),
                tags: tags[number] ?? [], language: Article.Language(rawValue: row["language"]) ?? .en,
                status: Article.Status(rawValue: row["status"]) ?? .draft,
                published: (row["published_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) },
                updated: Date(timeIntervalSince1970: TimeInterval(row["updated_at"] as Int64)),
                image: ((row["image_url"] as String?) ?? (row["image_media"] as String?).map { _ in "" }).map {
                    FeaturedImage(url: $0, caption: row["image_caption"], credit: row["image_credit"], media: row["image_media"])
                })
        }
        return numbers.compactMap { byNumber[$0] }
    }

    public func articles(_ query: ArticleQuery) async throws -> ArticleQueryPage {
        try await database.writer.read { db in
            var conditions = ["a.status = 'published'"]
            var arguments = StatementArguments()
            if let country = query.country {
                conditions.append(
                    "EXISTS (SELECT 1 FROM article_country c WHERE c.article_number = a.number AND c.country_code = ?)")
                arguments += [country.code]
            }
            if let slug = query.sectionSlug {
                conditions.append("a.section_id = (SELECT id FROM section WHERE slug = ?)")
                arguments += [slug]
            }
            if let slug = query.authorSlug {
                conditions.append("a.author_id = (SELECT id FROM author WHERE slug = ?)")
                arguments += [slug]
            }
            if let slug = query.tagSlug {
                conditions.append(
                    "EXISTS (SELECT 1 FROM article_tag at JOIN tag t ON t.id = at.tag_id WHERE at.article_number = a.number AND t.slug = ?)"
                )
                arguments += [slug]
            }
            if let language = query.language {
                conditions.append("a.language = ?")
                arguments += [language.rawValue]
            }
            if let from = query.publishedFrom {
                conditions.append("a.published_at >= ?")
                arguments += [Int64(from.timeIntervalSince1970.rounded(.up))]
            }
            if let to = query.publishedTo {
                conditions.append("a.published_at <= ?")
                arguments += [Int64(to.timeIntervalSince1970.rounded(.down))]
            }
            let filter = "FROM article a WHERE " + conditions.joined(separator: " AND ")
            // Counting and paging inside one read transaction keeps the total true to the rows on the page.
            let total = try Int.fetchOne(db, sql: "SELECT count(*) \(filter)", arguments: arguments) ?? 0
            let range = ResultRange(total: total, page: query.page, perPage: max(1, query.perPage))
            guard !range.isPastEnd else { return ArticleQueryPage(range: range, articles: []) }
            let order =
                query.sort == .newest ? "a.published_at DESC, a.number DESC" : "a.published_at ASC, a.number ASC"
            let numbers = try Int64.fetchAll(
                db, sql: "SELECT a.number \(filter) ORDER BY \(order) LIMIT ? OFFSET ?",
                arguments: arguments + [range.perPage, range.offset])
            return ArticleQueryPage(range: range, articles: try Self.articles(numbers, db: db))
        }
    }

    public func listing(_ listing: Listing, page: Int, perPage: Int) async throws -> ListingPage? {
        try await database.writer.read { db in
            let name: String?
            let from: String
            let arguments: StatementArguments
            switch listing {
            case .latest:
                (name, from, arguments) = (nil, "article a WHERE a.status = 'published'", [])
            case .country(let country):
                name = country.name
                from = """
                    article_country c JOIN article a ON a.number = c.article_number
                    WHERE c.country_code = ? AND a.status = 'published'
                    """
                arguments = [country.code]
            case .section(let slug):
                guard
                    let section = try Row.fetchOne(
                        db, sql: "SELECT id, name FROM section WHERE slug = ?", arguments: [slug])
                else { return nil }
                (name, from, arguments) = (
                    section["name"], "article a WHERE a.section_id = ? AND a.status = 'published'",
                    [section["id"] as Int64]
                )
            case .author(let slug):
                guard
                    let author = try Row.fetchOne(
                        db, sql: "SELECT id, name FROM author WHERE slug = ?", arguments: [slug])
                else { return nil }
                (name, from, arguments) = (
                    author["name"], "article a WHERE a.author_id = ? AND a.status = 'published'",
                    [author["id"] as Int64]
                )
            case .tag(let slug):
                guard let tag = try Row.fetchOne(db, sql: "SELECT id, name FROM tag WHERE slug = ?", arguments: [slug])
                else { return nil }
                name = tag["name"]
                from = """
                    article_tag t JOIN article a ON a.number = t.article_number
                    WHERE t.tag_id = ? AND a.status = 'published'
                    """
                arguments = [tag["id"] as Int64]
            }
            // The total and the page come from the same snapshot, so the range never disagrees with the rows.
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(from)", arguments: arguments) ?? 0
            let range = ResultRange(total: total, page: page, perPage: perPage)
            guard !range.isPastEnd else { return ListingPage(name: name, range: range, teasers: []) }
            let numbers = try Int64.fetchAll(
                db,
                sql: "SELECT a.number FROM \(from) ORDER BY a.published_at DESC, a.number DESC LIMIT ? OFFSET ?",
                arguments: arguments + [perPage, range.offset])
            return ListingPage(name: name, range: range, teasers: try Self.teasers(numbers, db: db))
        }
    }

    public func related(to article: Article, limit: Int) async throws -> [Teaser] {
        try await database.writer.read { db in
            // Shared tags count double: they say more about a story than a shared country does.
            let numbers = try Int64.fetchAll(
                db,
                sql: """
                    WITH me AS (SELECT number FROM article WHERE id = ?),
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
                    GROUP BY a.number ORDER BY sum(s.weight) DESC, a.published_at DESC LIMIT ?
                    """, arguments: [article.id.rawValue, limit])
            return try Self.teasers(numbers, db: db)
        }
    }

    public func latestByCountry(limit: Int) async throws -> [Country: [Teaser]] {
        try await database.writer.read { db in
            var blocks: [Country: [Teaser]] = [:]
            for country in Country.allCases {
                let numbers = try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT a.number FROM article_country c JOIN article a ON a.number = c.article_number
                        WHERE c.country_code = ? AND a.status = 'published'
                        ORDER BY a.published_at DESC, a.number DESC LIMIT ?
                        """, arguments: [country.code, limit])
                if !numbers.isEmpty { blocks[country] = try Self.teasers(numbers, db: db) }
            }
            return blocks
        }
    }

    public func sections() async throws -> [Section] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.name, s.slug FROM section s
                    WHERE EXISTS (SELECT 1 FROM article a WHERE a.section_id = s.id AND a.status = 'published')
                    ORDER BY s.name
                    """
            ).map { Section(name: $0["name"], slug: $0["slug"]) }
        }
    }

    public func count() async throws -> Int {
        try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM article") ?? 0 }
    }

    public func slugs(of ids: [Article.ID]) async throws -> [Article.ID: String] {
        guard !ids.isEmpty else { return [:] }
        return try await database.writer.read { db in
            var slugs: [Article.ID: String] = [:]
            for start in stride(from: 0, to: ids.count, by: 500) {
                let run = ids[start..<min(start + 500, ids.count)].map(\.rawValue)
                for row in try Row.fetchAll(
                    db, sql: "SELECT id, slug FROM article WHERE id IN (\(databaseQuestionMarks(count: run.count)))",
                    arguments: StatementArguments(run))
                {
                    slugs[Article.ID(row["id"] as String)] = row["slug"]
                }
            }
            return slugs
        }
    }

    public func contentVersion() async throws -> Int64 {
        try await database.contentVersion()
    }

    public func publishedCount() async throws -> Int {
        try await database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM article WHERE status = 'published'") ?? 0
        }
    }

    public func sitemapEntries(offset: Int, limit: Int) async throws -> [SitemapEntry] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, slug, title, language, published_at, updated_at FROM article
                    WHERE status = 'published' ORDER BY number LIMIT ? OFFSET ?
                    """, arguments: [limit, offset]
            ).map(Self.sitemapEntry)
        }
    }

    public func sitemapEntries(publishedFrom from: Date, to: Date, limit: Int) async throws -> [SitemapEntry] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, slug, title, language, published_at, updated_at FROM article
                    WHERE status = 'published' AND published_at BETWEEN ? AND ?
                    ORDER BY published_at DESC, number DESC LIMIT ?
                    """,
                arguments: [
                    Int64(from.timeIntervalSince1970.rounded(.up)), Int64(to.timeIntervalSince1970.rounded(.down)),
                    limit,
                ]
            ).map(Self.sitemapEntry)
        }
    }

    private static func sitemapEntry(_ row: Row) -> SitemapEntry {
        SitemapEntry(
            id: Article.ID(row["id"] as String), slug: row["slug"], title: row["title"],
            language: Article.Language(rawValue: row["language"]) ?? .en,
            published: (row["published_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) },
            updated: Date(timeIntervalSince1970: TimeInterval(row["updated_at"] as Int64)))
    }

    /// Teasers for these stories, in the order given.
    static func teasers(_ numbers: [Int64], db: Database) throws -> [Teaser] {
        try teasers(numbers, withTexts: false, db: db).map(\.teaser)
    }

    /// The searchable text of a story: what search marks its matches in.
    struct SearchableText {
        let standfirst: String
        let body: String
    }

    /// Teasers, and with `withTexts` the standfirst and plain body too, read in the same pass over each row (a long
    /// body sits in overflow pages that reading the excerpt walks through anyway).
    static func teasers(_ numbers: [Int64], withTexts: Bool, db: Database) throws
        -> [(number: Int64, teaser: Teaser, text: SearchableText?)]
    {
        guard !numbers.isEmpty else { return [] }
        // Placeholders rather than the numbers themselves, so a page of ten reuses one prepared statement.
        let placeholders = numbers.map { _ in "?" }.joined(separator: ",")
        let arguments = numberArguments(numbers)
        // Read from the cursor, not fetched as rows: a fetched row copies every value (a body among them) before
        // it is decoded into the teaser.
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT a.number, a.id, a.slug, a.title, a.excerpt, a.published_at,
                        s.name AS section_name, s.slug AS section_slug, w.name AS author_name, w.slug AS author_slug,
                        \(countriesColumn) \(withTexts ? ", a.standfirst, a.body_text" : "")
                    FROM article a LEFT JOIN section s ON s.id = a.section_id LEFT JOIN author w ON w.id = a.author_id
                    WHERE a.number IN (\(placeholders))
                    """), arguments: arguments)
        var byNumber: [Int64: (number: Int64, teaser: Teaser, text: SearchableText?)] = [:]
        while let row = try rows.next() {
            let number: Int64 = row[0]
            let teaser = Teaser(
                id: Article.ID(row[1] as String), slug: row[2], title: row[3], excerpt: row[4],
                published: (row[5] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) },
                section: taxon(row, at: 6), countries: orderedCountries(row[10]), author: taxon(row, at: 8))
            byNumber[number] = (number, teaser, withTexts ? SearchableText(standfirst: row[11], body: row[12]) : nil)
        }
        return numbers.compactMap { byNumber[$0] }
    }

    /// Story numbers as statement arguments. GRDB's generic initialiser maps them through a key path that is looked
    /// up at run time on every call, which cost more than the query it binds on a page of search results.
    static func numberArguments(_ numbers: [Int64]) -> StatementArguments {
        StatementArguments(numbers.map { $0 as (any DatabaseValueConvertible)? })
    }

    /// A story's countries, read in the story's own row (a second statement for them cost more than the teasers it
    /// served), as `position:code` pairs: SQLite does not promise the order in which `group_concat` joins. The row's
    /// `article` must be named `a`; `orderedCountries` reads the column.
    static let countriesColumn = """
        (SELECT group_concat(c.position || ':' || c.country_code) FROM article_country c
            WHERE c.article_number = a.number) AS countries
        """

    /// The countries of `countriesColumn`, in the order the newsroom gave them.
    static func orderedCountries(_ pairs: String?) -> [Country] {
        guard let pairs, !pairs.isEmpty else { return [] }
        // Read as bytes: splitting strings cost as much as the statement it replaced.
        var found: [(position: Int, country: Country)] = []
        var position = 0
        var code: [UInt8] = []
        var inCode = false
        func finish() {
            if let country = Country(rawValue: String(decoding: code, as: UTF8.self)) { found.append((position, country)) }
            (position, code, inCode) = (0, [], false)
        }
        for byte in pairs.utf8 {
            switch byte {
            case UInt8(ascii: ","): finish()
            case UInt8(ascii: ":") where !inCode: inCode = true
            case UInt8(ascii: "0")...UInt8(ascii: "9") where !inCode: position = position &* 10 &+ Int(byte - 48)
            default: code.append(byte)
            }
        }
        finish()
        if found.count > 1 { found.sort { $0.position < $1.position } }
        return found.map(\.country)
    }

    /// A section or author from two columns by position: name, then slug (looking columns up by name costs more).
    static func taxon<T: Taxon>(_ row: Row, at index: Int) -> T? {
        guard let name: String = row[index], let slug: String = row[index + 1] else { return nil }
        return T(name: name, slug: slug)
    }

    static func taxon<T: Taxon>(_ row: Row, _ prefix: String) -> T? {
        guard let name: String = row["\(prefix)_name"], let slug: String = row["\(prefix)_slug"] else { return nil }
        return T(name: name, slug: slug)
    }
}

/// Section, tag and author ids met in one batch, so each is looked up or created once.
struct TaxonCache {
    private var ids: [String: Int64] = [:]

    mutating func id(of taxon: some Taxon, table: String, db: Database) throws -> Int64 {
        let key = "\(table)/\(taxon.slug)"
        if let id = ids[key] { return id }
        let id: Int64
        if let found = try Int64.fetchOne(db, sql: "SELECT id FROM \(table) WHERE slug = ?", arguments: [taxon.slug]) {
            id = found
        } else {
            try db.execute(sql: "INSERT INTO \(table) (slug, name) VALUES (?, ?)", arguments: [taxon.slug, taxon.name])
            id = db.lastInsertedRowID
        }
        ids[key] = id
        return id
    }
}

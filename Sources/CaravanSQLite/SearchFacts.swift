import CaravanCore
import CaravanStorage
import Foundation
import GRDB
import Synchronization

extension SearchFacts {
    /// Reads the facts of every published story.
    static func read(_ db: Database, version: Int64) throws -> SearchFacts {
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT a.number, a.published_at, a.section_id, a.language,
                    (SELECT group_concat(c.country_code) FROM article_country c WHERE c.article_number = a.number)
                FROM article a WHERE a.status = 'published'
                """)
        var stories: [(number: Int64, story: Story)] = []
        while let row = try cursor.next() {
            let codes: String? = row[4]
            stories.append((row[0], Story(
                published: row[1], sectionID: row[2], language: Article.Language(rawValue: row[3]),
                countries: CountrySet(codes: codes))))
        }
        return SearchFacts(version: version, stories: Stories(stories))
    }
}

/// The latest facts, shared by every search of one index; replaced when the content version moves.
final class SearchFactsCache: Sendable {
    private let latest = Mutex<SearchFacts?>(nil)
    /// Held while the facts are read, so that the searches arriving after an edit read them once, not once each.
    private let reading = Mutex(0)

    /// How many times the facts were read from the database (for tests).
    var reads: Int { reading.withLock { $0 } }

    /// The facts at the read transaction's content version, read now if the cached ones are of another version.
    func facts(_ db: Database) throws -> SearchFacts {
        let version = try SQLiteDatabase.contentVersion(db)
        if let cached = cached(at: version) { return cached }
        // A snapshot older than the cached facts (a search that began before a commit) reads its own, without
        // waiting in line or replacing newer facts: rare, and never worth holding other searches up for.
        if let newest = latest.withLock({ $0?.version }), newest > version {
            return try SearchFacts.read(db, version: version)
        }
        return try reading.withLock { reads in
            // Another search may have read this version while this one waited.
            if let cached = cached(at: version) { return cached }
            let fresh = try SearchFacts.read(db, version: version)
            reads += 1
            // A slower reader of an older snapshot must not replace newer facts.
            latest.withLock { current in
                if (current?.version ?? .min) <= version { current = fresh }
            }
            return fresh
        }
    }

    private func cached(at version: Int64) -> SearchFacts? {
        latest.withLock { cached in cached?.version == version ? cached : nil }
    }
}

extension SearchFilter {
    init(_ request: SearchRequest, db: Database) throws {
        let sectionID = try request.section.flatMap {
            try Int64.fetchOne(db, sql: "SELECT id FROM section WHERE slug = ?", arguments: [$0])
        }
        self.init(request, sectionID: sectionID)
    }
}

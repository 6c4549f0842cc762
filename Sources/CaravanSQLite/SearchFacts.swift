import CaravanCore
import CaravanStorage
import Foundation
import GRDB
import Synchronization

/// What the search filters and facets need of every published story, read once per content version.
///
/// Joining each match to its story row and its countries cost more than the full-text match itself; held in
/// memory, a filter or a facet is a dictionary lookup.
struct SearchFacts: Sendable {
    /// Plain values only, so that looking a story up for each of thousands of matches copies no references.
    struct Story: Sendable {
        let published: Int64?
        let sectionID: Int64?
        let language: Article.Language?
        let countries: CountrySet
    }

    /// Countries as bits, in `Country.allCases` order.
    struct CountrySet: Sendable {
        private(set) var bits: UInt32 = 0
        static let ordinals = Dictionary(uniqueKeysWithValues: Country.allCases.enumerated().map { ($1, $0) })

        init(_ countries: some Sequence<Country>) {
            for country in countries { bits |= 1 << UInt32(Self.ordinals[country]!) }
        }

        func contains(_ country: Country) -> Bool { bits & (1 << UInt32(Self.ordinals[country]!)) != 0 }
    }

    /// Stories by number: an array when the numbers are compact (as SQLite hands them out), else a dictionary.
    struct Stories: Sendable {
        private var byPosition: [Story?] = []
        private var byNumber: [Int64: Story] = [:]

        init(_ stories: [(number: Int64, story: Story)]) {
            let highest = stories.map(\.number).max() ?? 0
            if stories.allSatisfy({ $0.number >= 0 }) && highest < 4 * Int64(stories.count) + 1_024 {
                byPosition = Array(repeating: nil, count: Int(highest) + 1)
                for (number, story) in stories { byPosition[Int(number)] = story }
            } else {
                byNumber = Dictionary(stories, uniquingKeysWith: { first, _ in first })
            }
        }

        subscript(number: Int64) -> Story? {
            if number >= 0 && number < byPosition.count { return byPosition[Int(number)] }
            return byNumber[number]
        }
    }

    /// The content version these facts were read at.
    let version: Int64
    let stories: Stories

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
                countries: CountrySet(codes.map { $0.split(separator: ",").compactMap { Country(rawValue: String($0)) } } ?? []))))
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

/// The filters of a search request, checked against a story's facts.
struct SearchFilter: Sendable {
    let country: Country?
    /// The section's id, or nil for no section filter; `.some(nil)` when the slug names no section (nothing passes).
    let sectionID: Int64??
    let language: Article.Language?
    let from: Int64?
    let to: Int64?

    init(_ request: SearchRequest, db: Database) throws {
        country = request.country
        if let slug = request.section {
            sectionID = .some(try Int64.fetchOne(db, sql: "SELECT id FROM section WHERE slug = ?", arguments: [slug]))
        } else {
            sectionID = nil
        }
        language = request.language
        from = request.from.map { Int64($0.timeIntervalSince1970) }
        to = request.to.map { Int64($0.timeIntervalSince1970) }
    }

    func admits(_ story: SearchFacts.Story) -> Bool {
        if let country, !story.countries.contains(country) { return false }
        if let sectionID {
            guard let wanted = sectionID, story.sectionID == wanted else { return false }
        }
        if let language, story.language != language { return false }
        guard from != nil || to != nil else { return true }
        // A story without a publication time is outside any date range.
        guard let published = story.published else { return false }
        return published >= (from ?? .min) && published <= (to ?? .max)
    }
}

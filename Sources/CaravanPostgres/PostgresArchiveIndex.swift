import CaravanCore
import CaravanSearch
import CaravanStorage
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// This instance's archive index in memory, kept level with the database's search change log, and the stories'
/// facts at the latest content version.
///
/// A search reads the log's last sequence number in its own snapshot: when the index is level it answers; when it
/// is a few stories behind it catches up inside that snapshot, so an edit made through any instance is found by the
/// next search on every instance; when it is far behind (start-up, a bulk import) it is rebuilt in the background and
/// PostgreSQL's `tsvector` search answers meanwhile. The content channel's notifications bring it level between
/// searches, so a search seldom has to.
final class PostgresArchiveIndex: Sendable {
    struct Snapshot: Sendable {
        /// The last change the index includes.
        let sequence: Int64
        let index: ArchiveIndex
    }

    /// What a search on the index needs: the index and facts of the search's own snapshot.
    struct State {
        let index: ArchiveIndex
        let facts: SearchFacts
    }

    private let latest = Mutex<Snapshot?>(nil)
    private let latestFacts = Mutex<SearchFacts?>(nil)
    /// The rebuild under way, if any.
    let rebuilds = ArchiveRebuild()
    private let counts = Mutex((catchUps: 0, factReads: 0, answers: 0))

    /// How many times the index was brought up to date by re-reading changed stories, the facts were read, and a
    /// search was answered from the index (for tests).
    var catchUps: Int { counts.withLock { $0.catchUps } }
    var factReads: Int { counts.withLock { $0.factReads } }
    var answers: Int { counts.withLock { $0.answers } }

    func answered() {
        counts.withLock { $0.answers += 1 }
    }
    var isReady: Bool { latest.withLock { $0 != nil } }

    /// The index and facts as this transaction sees the archive, or nil when `tsvector` should answer (a rebuild is
    /// due or under way, or the transaction is older than the index). `rebuild` is asked to start one when one is due.
    func state(
        _ connection: PostgresConnection, logger: Logger, rebuild: @escaping @Sendable () async throws -> Void
    ) async throws -> State? {
        let (version, sequence) = try await Self.positions(connection, logger: logger)
        let snapshot = latest.withLock { $0 }
        let index: ArchiveIndex
        switch ArchiveIndexFreshness(indexed: snapshot?.sequence, sequence: sequence) {
        case .level:
            index = snapshot!.index
        case .catchUp:
            index = try await catchUp(from: snapshot, to: sequence, connection: connection, logger: logger)
        case .aheadOfSnapshot:
            return nil
        case .rebuild:
            rebuilds.start(rebuild)
            return nil
        }
        return State(index: index, facts: try await facts(at: version, connection: connection, logger: logger))
    }

    /// The index and the facts as they stand, with the last change the index includes; nil before both are read.
    func current() -> (sequence: Int64, state: State)? {
        guard let snapshot = latest.withLock({ $0 }), let facts = latestFacts.withLock({ $0 }) else { return nil }
        return (snapshot.sequence, State(index: snapshot.index, facts: facts))
    }

    /// Builds the whole index in this transaction and keeps it unless a newer one arrived meanwhile.
    func rebuild(_ connection: PostgresConnection, logger: Logger) async throws {
        let (_, sequence) = try await Self.positions(connection, logger: logger)
        let tokenizer = try PorterTokenizer()
        var builder = ArchiveIndex.Builder()
        // Streamed: the archive is never all in memory as text at once.
        let rows = try await connection.query(
            "SELECT number, title, standfirst, body_text FROM article WHERE status = 'published' ORDER BY number",
            logger: logger)
        for try await (number, title, standfirst, body) in rows.decode((Int64, String, String, String).self) {
            builder.add(try tokenizer.story(number: number, title: title, standfirst: standfirst, body: body))
        }
        keep(Snapshot(sequence: sequence, index: builder.finish()))
    }

    /// The content version and the change log's last sequence number, as this snapshot sees them.
    private static func positions(_ connection: PostgresConnection, logger: Logger) async throws -> (Int64, Int64) {
        // Read to the end: a row sequence left half read holds the connection up.
        var positions: (Int64, Int64) = (0, 0)
        for try await row in try await connection.query(
            """
            SELECT (SELECT version FROM content_state WHERE id = 1),
                (SELECT coalesce(max(sequence), 0) FROM article_search_change)
            """, logger: logger
        ).decode((Int64, Int64).self) {
            positions = row
        }
        return positions
    }

    /// The index brought level with `sequence` by re-reading the stories changed since `snapshot` (or built whole).
    private func catchUp(
        from snapshot: Snapshot?, to sequence: Int64, connection: PostgresConnection, logger: Logger
    ) async throws -> ArchiveIndex {
        guard let snapshot else {
            try await rebuild(connection, logger: logger)
            return latest.withLock { $0!.index }
        }
        var index = snapshot.index
        let rows = try await connection.query(
            """
            WITH changed AS (
                SELECT DISTINCT article_number FROM article_search_change
                WHERE sequence > \(snapshot.sequence) AND sequence <= \(sequence)
            )
            SELECT c.article_number, a.title, a.standfirst, a.body_text
            FROM changed c LEFT JOIN article a ON a.number = c.article_number AND a.status = 'published'
            """, logger: logger)
        let tokenizer = try PorterTokenizer()
        for try await (number, title, standfirst, body) in rows.decode((Int64, String?, String?, String?).self) {
            index.remove(number)
            if let title, let standfirst, let body {
                index.insert(try tokenizer.story(number: number, title: title, standfirst: standfirst, body: body))
            }
        }
        counts.withLock { $0.catchUps += 1 }
        keep(Snapshot(sequence: sequence, index: index))
        return index
    }

    private func keep(_ snapshot: Snapshot) {
        latest.withLock { current in
            if (current?.sequence ?? .min) < snapshot.sequence { current = snapshot }
        }
    }

    /// The facts at the transaction's content version, read now if the kept ones are of another version.
    private func facts(at version: Int64, connection: PostgresConnection, logger: Logger) async throws -> SearchFacts {
        if let kept = latestFacts.withLock({ $0 }), kept.version == version { return kept }
        let rows = try await connection.query(
            """
            SELECT a.number, a.published_at, a.section_id, a.language,
                (SELECT string_agg(c.country_code, ',') FROM article_country c WHERE c.article_number = a.number)
            FROM article a WHERE a.status = 'published'
            """, logger: logger)
        var stories: [(number: Int64, story: SearchFacts.Story)] = []
        for try await (number, published, section, language, codes) in rows.decode(
            (Int64, Int64?, Int64?, String, String?).self)
        {
            stories.append(
                (number, SearchFacts.Story(
                    published: published, sectionID: section, language: Article.Language(rawValue: language),
                    countries: SearchFacts.CountrySet(codes: codes))))
        }
        let facts = SearchFacts(version: version, stories: SearchFacts.Stories(stories))
        counts.withLock { $0.factReads += 1 }
        // A slower reader of an older snapshot must not replace newer facts.
        latestFacts.withLock { current in
            if (current?.version ?? .min) <= version { current = facts }
        }
        return facts
    }
}

import CaravanSearch
import CaravanStorage
import Foundation
import GRDB
import Synchronization

/// The archive index of one database, kept level with the search table.
///
/// Every write that changes what FTS5 indexes also appends the story's number to `article_search_change` (triggers,
/// in the writing transaction). A search compares the log's last sequence number with the index's: when they differ
/// by a few stories the index catches up inside the search's own read transaction, so a search never sees an edit
/// late; when they differ by many (start-up, a bulk import) the index is rebuilt in the background and FTS5 answers
/// meanwhile.
final class ArchiveIndexCache: Sendable {
    struct Snapshot: Sendable {
        /// The last change the index includes.
        let sequence: Int64
        let index: ArchiveIndex
    }

    private let latest = Mutex<Snapshot?>(nil)
    /// Held while one search brings the index up to date, so the searches arriving with it wait and share it.
    private let catchingUp = Mutex(0)
    /// The rebuild under way, if any.
    let rebuilds = ArchiveRebuild()

    /// How many times the index was brought up to date inside a search (for tests).
    var catchUps: Int { catchingUp.withLock { $0 } }

    /// The index as this read transaction sees the archive, or nil when FTS5 should answer (a rebuild is due or under
    /// way, or the transaction is older than the index). `rebuild` is asked to start one when one is due.
    func index(_ db: Database, rebuild: @escaping @Sendable () async throws -> Void) throws -> ArchiveIndex? {
        let sequence = try Self.lastChange(db)
        let snapshot = latest.withLock { $0 }
        switch ArchiveIndexFreshness(indexed: snapshot?.sequence, sequence: sequence) {
        case .level: return snapshot?.index
        case .catchUp: return try catchUp(db, to: sequence)
        case .aheadOfSnapshot: return nil
        case .rebuild:
            rebuilds.start(rebuild)
            return nil
        }
    }

    /// Builds the whole index in this transaction and keeps it unless a newer one arrived meanwhile.
    func rebuild(_ db: Database) throws {
        let sequence = try Self.lastChange(db)
        let index = try Self.build(db)
        keep(Snapshot(sequence: sequence, index: index))
    }

    private func catchUp(_ db: Database, to sequence: Int64) throws -> ArchiveIndex? {
        try catchingUp.withLock { count in
            let current = latest.withLock { $0 }
            if let current, current.sequence == sequence { return current.index }
            // Another search moved the index past this transaction's view while this one waited.
            if let current, current.sequence > sequence { return nil }
            var index: ArchiveIndex
            if let current {
                index = current.index
                let changed = try Int64.fetchAll(
                    db,
                    sql:
                        "SELECT DISTINCT article_number FROM article_search_change WHERE sequence > ? AND sequence <= ?",
                    arguments: [current.sequence, sequence])
                let tokenizer = try SearchTokenizer(db)
                for number in changed {
                    index.remove(number)
                    if let story = try Self.story(number, db: db, tokenizer: tokenizer) { index.insert(story) }
                }
            } else {
                index = try Self.build(db)
            }
            count += 1
            keep(Snapshot(sequence: sequence, index: index))
            return index
        }
    }

    private func keep(_ snapshot: Snapshot) {
        latest.withLock { current in
            if (current?.sequence ?? .min) < snapshot.sequence { current = snapshot }
        }
    }

    static func lastChange(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(sequence) FROM article_search_change")) ?? 0
    }

    /// Every published story, tokenised as FTS5 tokenised it.
    static func build(_ db: Database) throws -> ArchiveIndex {
        let tokenizer = try SearchTokenizer(db)
        let cursor = try Row.fetchCursor(
            db,
            sql: "SELECT number, title, standfirst, body_text FROM article WHERE status = 'published' ORDER BY number")
        return try ArchiveIndex.build { try cursor.next().map { try story($0, tokenizer: tokenizer) } }
    }

    /// One story as it is now, or nil when it is not published (then it is not in the search table either).
    private static func story(_ number: Int64, db: Database, tokenizer: SearchTokenizer) throws -> ArchiveIndex.Story? {
        // Prepared once: a catch-up reads up to `catchUpLimit` stories one by one.
        try Row.fetchOne(
            db.cachedStatement(
                sql:
                    "SELECT number, title, standfirst, body_text FROM article WHERE number = ? AND status = 'published'"
            ),
            arguments: [number]
        ).map { try story($0, tokenizer: tokenizer) }
    }

    private static func story(_ row: Row, tokenizer: SearchTokenizer) throws -> ArchiveIndex.Story {
        try tokenizer.story(number: row[0], title: row[1] ?? "", standfirst: row[2] ?? "", body: row[3] ?? "")
    }
}

import CaravanCore
import Foundation
import NIOCore
import Synchronization

/// Rendered pages kept in memory until the content changes.
///
/// Entries carry the content version they were rendered at; a newer version in the store makes them stale,
/// so an edit is visible on the next request in every process that shares the database.
final class PageCache: Sendable {
    struct Entry: Sendable {
        let version: Int64
        let day: String
        let body: ByteBuffer
        let etag: String
        /// What the page is about last changed at this time, if it has one subject (a story).
        var lastModified: Date? = nil

        /// A rendered document at a content version; its ETag names both, so an edit or a new rendering changes it.
        init(version: Int64, day: String, body: ByteBuffer, lastModified: Date? = nil) {
            self.version = version
            self.day = day
            self.body = body
            self.etag = "\"\(version)-\(ContentHash.of(body.readableBytesView))\""
            self.lastModified = lastModified
        }
    }

    /// What every page's masthead shows besides the date: the sections and the rates strip.
    struct Masthead: Sendable {
        let version: Int64
        let day: String
        let sections: [Section]
        let ticker: TickerView?
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let mastheadSlot = Mutex<Masthead?>(nil)

    func masthead(version: Int64, day: String) -> Masthead? {
        mastheadSlot.withLock { slot in
            guard let slot, slot.version == version, slot.day == day else { return nil }
            return slot
        }
    }

    func remember(_ masthead: Masthead) {
        mastheadSlot.withLock { $0 = masthead }
    }
    private let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    func entry(for key: String, version: Int64, day: String) -> Entry? {
        entries.withLock { entries in
            guard let entry = entries[key], entry.version == version, entry.day == day else { return nil }
            return entry
        }
    }

    func store(_ entry: Entry, for key: String) {
        entries.withLock { entries in
            // Crude but bounded: a full cache starts again rather than growing without limit.
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = entry
        }
    }
}

/// A short, stable fingerprint for ETags.
enum ContentHash {
    static func of(_ bytes: some Sequence<UInt8>) -> String {
        String(FNV1a.hash(bytes), radix: 36)
    }
}

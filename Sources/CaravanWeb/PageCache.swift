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
        /// When this rendering replaced the one before it (whole seconds), sent as `Last-Modified`: every change to
        /// the content or the day makes a new entry, so the time moves whenever what the page says may have changed.
        private(set) var lastModified: Date = .distantPast

        /// A rendered document at a content version; its ETag names both, so an edit or a new rendering changes it.
        init(version: Int64, day: String, body: ByteBuffer) {
            self.version = version
            self.day = day
            self.body = body
            self.etag = "\"\(version)-\(ContentHash.of(body.readableBytesView))\""
        }

        /// Stamped as the page's new rendering, at least a second after the one it replaces so that a client asking
        /// "modified since" the old time is never told "no" about a page changed within the same second.
        func stamped(after previous: Entry?, now: Date) -> Entry {
            var entry = self
            var stamp = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
            if let previous, previous.etag != etag, previous.lastModified >= stamp {
                stamp = previous.lastModified.addingTimeInterval(1)
            } else if let previous, previous.etag == etag {
                // The same bytes again (a new version that did not touch this page): the page has not changed.
                stamp = previous.lastModified
            }
            entry.lastModified = stamp
            return entry
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

    /// Keeps the entry and returns it stamped with its `Last-Modified`.
    @discardableResult
    func store(_ entry: Entry, for key: String, now: Date = Date()) -> Entry {
        entries.withLock { entries in
            let stamped = entry.stamped(after: entries[key], now: now)
            // Crude but bounded: a full cache starts again rather than growing without limit.
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = stamped
            return stamped
        }
    }
}

/// A short, stable fingerprint for ETags.
enum ContentHash {
    static func of(_ bytes: some Sequence<UInt8>) -> String {
        String(FNV1a.hash(bytes), radix: 36)
    }
}

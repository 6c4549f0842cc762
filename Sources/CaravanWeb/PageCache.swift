import CaravanCore
import Foundation
import NIOCore
import Synchronization

/// Rendered pages kept in memory until the content changes, within a budget of bytes.
///
/// Entries carry the content version they were rendered at; a newer version in the store makes them stale,
/// so an edit is visible on the next request in every process that shares the database.
final class PageCache: Sendable {
    struct Entry: Sendable {
        let version: Int64
        let day: String
        let body: ByteBuffer
        let etag: String
        /// The bytes' fingerprint, which decides whether the page changed since the entry it replaces.
        let fingerprint: String
        /// When these bytes were first sent at this address, for `Last-Modified`; set when the entry is stored.
        fileprivate(set) var modified = AnswerStamp.never

        /// A rendered document at a content version; its ETag names both, so an edit or a new rendering changes it.
        init(version: Int64, day: String, body: ByteBuffer) {
            self.version = version
            self.day = day
            self.body = body
            self.fingerprint = ContentHash.of(body.readableBytesView)
            self.etag = "\"\(version)-\(fingerprint)\""
        }
    }

    /// What every page's masthead shows besides the date: the sections and the rates strip.
    struct Masthead: Sendable {
        let version: Int64
        let day: String
        /// The sections as navigation items, made once per version rather than on every page.
        let sections: [Chrome.NavigationItem]
        let ticker: TickerView?
        /// The footer's section links and the search form's section choices (none chosen), rendered once per
        /// version: with a hundred sections they were most of the rendering of a page.
        let sectionLinksHTML: String
        let sectionOptionsHTML: String
    }

    private struct Shelf {
        var entries: [String: Entry] = [:]
        /// Keys in the order they were first stored: the oldest leave first when the budget is spent.
        var arrivals: [String] = []
        var oldest = 0
        var bytes = 0
    }
    private let shelf = Mutex(Shelf())
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
    /// At most this many bytes of pages and keys are kept.
    let budget: Int
    /// Longer addresses are answered but not kept: a flood of distinct 60 kB queries must not fill the budget.
    static let longestKey = 1_024

    init(budget: Int = 64 << 20) {
        self.budget = budget
    }

    /// What an entry costs the budget: its bytes, its key twice (table and queue), and a little bookkeeping.
    static func cost(_ entry: Entry, key: String) -> Int {
        entry.body.readableBytes + 2 * key.utf8.count + entry.etag.utf8.count + entry.fingerprint.utf8.count + 160
    }

    /// Bytes held now, for tests and metrics.
    var bytesHeld: Int { shelf.withLock { $0.bytes } }

    func entry(for key: String, version: Int64, day: String) -> Entry? {
        shelf.withLock { shelf in
            guard let entry = shelf.entries[key], entry.version == version, entry.day == day else { return nil }
            return entry
        }
    }

    /// Keeps the entry (unless its key is too long or it alone exceeds the budget) and returns it stamped with its
    /// `Last-Modified`.
    @discardableResult
    func store(_ entry: Entry, for key: String, now: Date = Date()) -> Entry {
        shelf.withLock { shelf in
            var stamped = entry
            let previous = shelf.entries[key]
            stamped.modified = AnswerStamp.next(after: previous?.modified, fingerprint: entry.fingerprint, now: now)
            let cost = Self.cost(stamped, key: key)
            guard key.utf8.count <= Self.longestKey, cost <= budget / 4 else { return stamped }
            if let previous {
                shelf.bytes -= Self.cost(previous, key: key)
            } else {
                shelf.arrivals.append(key)
            }
            shelf.entries[key] = stamped
            shelf.bytes += cost
            while shelf.bytes > budget, shelf.oldest < shelf.arrivals.count {
                let leaving = shelf.arrivals[shelf.oldest]
                shelf.oldest += 1
                if leaving != key, let gone = shelf.entries.removeValue(forKey: leaving) {
                    shelf.bytes -= Self.cost(gone, key: leaving)
                } else if leaving == key {
                    shelf.arrivals.append(key)
                }
            }
            // The queue's spent front is dropped once it is most of the queue, so it stays as long as the shelf.
            if shelf.oldest > 1_024, shelf.oldest * 2 > shelf.arrivals.count {
                shelf.arrivals.removeFirst(shelf.oldest)
                shelf.oldest = 0
            }
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

/// When an address's answer last changed, in whole seconds, with its `Last-Modified` text made once rather than on
/// every request.
struct AnswerStamp: Sendable, Hashable {
    let fingerprint: String
    let time: Date
    let header: String

    static let never = AnswerStamp(fingerprint: "", time: .distantPast)

    init(fingerprint: String, time: Date) {
        self.fingerprint = fingerprint
        self.time = time
        header = FeedDate.http(time)
    }

    /// The `Last-Modified` to send at `now`: never later than the answer's own date (RFC 9110, 8.8.2.1), which a time
    /// moved on a second to tell two versions apart can be for up to a second. Comparisons keep using `time`.
    func header(sentAt now: Date) -> String {
        now < time ? FeedDate.http(now) : header
    }

    /// The same bytes keep their time; new bytes get now, or a second after the answer they replace when that is not
    /// earlier, so a client asking "modified since" the old time is never told "no" about a change in the same second.
    static func next(after previous: AnswerStamp?, fingerprint: String, now: Date) -> AnswerStamp {
        if let previous, previous.fingerprint == fingerprint { return previous }
        var time = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        if let previous, previous.time >= time { time = previous.time.addingTimeInterval(1) }
        return AnswerStamp(fingerprint: fingerprint, time: time)
    }
}

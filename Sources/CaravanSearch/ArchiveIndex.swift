import Foundation

/// The published archive as an inverted index in memory: what a search reads instead of asking FTS5.
///
/// It scores the way FTS5's `bm25()` does (same statistics, same arithmetic, same order of additions), so a story's
/// score here is the very number FTS5 gives it and the two engines rank identically; FTS5 stays as the reference the
/// tests hold this index to. Tokens arrive already stemmed by FTS5's own tokenizer, so both engines see one vocabulary.
public struct ArchiveIndex: Sendable {
    /// A story as the index takes it: its number and its tokens, column by column (title, standfirst, body).
    public struct Story: Sendable, Hashable {
        public let number: Int64
        public let columns: [[String]]

        public init(number: Int64, columns: [[String]]) {
            precondition(columns.count == ArchiveIndex.columnCount, "a story has a title, a standfirst and a body")
            self.number = number
            self.columns = columns
        }
    }

    /// Title, standfirst, body: the columns of the FTS5 table this index mirrors.
    public static let columnCount = 3

    /// How often one term occurs in one story, per column.
    struct Counts: Sendable {
        var title: UInt32 = 0
        var standfirst: UInt32 = 0
        var body: UInt32 = 0
    }

    /// The stories holding one term, in slot order, with the term's counts in each.
    struct Postings: Sendable {
        var slots: [Int32] = []
        var counts: [Counts] = []
    }

    /// One story's place: its term ids in reading order (title, standfirst, body), which phrase matching walks.
    struct Slot: Sendable {
        /// The story's number, or nil for a free slot.
        var number: Int64?
        var tokens: [Int32]
        /// Where the title ends and where the standfirst ends in `tokens`.
        var titleEnd: Int32
        var standfirstEnd: Int32
    }

    private var termIDs: [TermBytes: Int32] = [:]
    private var terms: [String] = []
    /// Term ids in the byte order of their UTF-8, as FTS5 orders terms, for prefix lookups.
    private var termsInOrder: [Int32] = []
    private var postings: [Postings] = []
    private var slots: [Slot] = []
    /// Each slot's token count, apart from `slots` so that scoring reads a plain array.
    private var lengths: [Int32] = []
    private var freeSlots: [Int32] = []
    private var slotOfStory: [Int64: Int32] = [:]
    /// Tokens in all columns of all stories: the numerator of BM25's average story length.
    public private(set) var tokenCount = 0

    /// How many stories the index holds.
    public var storyCount: Int { slotOfStory.count }

    public init() {}

    /// Builds the index from many stories at once (sorting the vocabulary once at the end).
    public init(_ stories: some Sequence<Story>) {
        for story in stories { add(story, keepingTermOrder: false) }
        termsInOrder = (0..<Int32(terms.count)).sorted { Self.precedes(terms[Int($0)], terms[Int($1)]) }
    }

    /// Adds a story, or replaces the one with the same number.
    public mutating func insert(_ story: Story) {
        remove(story.number)
        add(story, keepingTermOrder: true)
    }

    /// Takes a story out; a number the index does not hold is ignored.
    public mutating func remove(_ number: Int64) {
        guard let slot = slotOfStory.removeValue(forKey: number) else { return }
        let tokens = slots[Int(slot)].tokens
        for id in Set(tokens) {
            let at = Self.firstIndex(notBelow: slot, in: postings[Int(id)].slots)
            postings[Int(id)].slots.remove(at: at)
            postings[Int(id)].counts.remove(at: at)
        }
        tokenCount -= tokens.count
        slots[Int(slot)] = Slot(number: nil, tokens: [], titleEnd: 0, standfirstEnd: 0)
        lengths[Int(slot)] = 0
        freeSlots.append(slot)
    }

    private mutating func add(_ story: Story, keepingTermOrder: Bool) {
        let slot: Int32
        if let free = freeSlots.popLast() {
            slot = free
        } else {
            slot = Int32(slots.count)
            slots.append(Slot(number: nil, tokens: [], titleEnd: 0, standfirstEnd: 0))
            lengths.append(0)
        }
        var tokens: [Int32] = []
        tokens.reserveCapacity(story.columns.reduce(0) { $0 + $1.count })
        var counts: [Int32: Counts] = [:]
        var ends: [Int32] = []
        for (column, words) in story.columns.enumerated() {
            for word in words {
                let id = termID(word, keepingTermOrder: keepingTermOrder)
                tokens.append(id)
                switch column {
                case 0: counts[id, default: Counts()].title += 1
                case 1: counts[id, default: Counts()].standfirst += 1
                default: counts[id, default: Counts()].body += 1
                }
            }
            ends.append(Int32(tokens.count))
        }
        for (id, count) in counts {
            let at = Self.firstIndex(notBelow: slot, in: postings[Int(id)].slots)
            postings[Int(id)].slots.insert(slot, at: at)
            postings[Int(id)].counts.insert(count, at: at)
        }
        slots[Int(slot)] = Slot(number: story.number, tokens: tokens, titleEnd: ends[0], standfirstEnd: ends[1])
        slotOfStory[story.number] = slot
        lengths[Int(slot)] = Int32(tokens.count)
        tokenCount += tokens.count
    }

    private mutating func termID(_ term: String, keepingTermOrder: Bool) -> Int32 {
        if let id = termIDs[TermBytes(term)] { return id }
        let id = Int32(terms.count)
        termIDs[TermBytes(term)] = id
        terms.append(term)
        postings.append(Postings())
        if keepingTermOrder {
            let at = lowerBound(of: term)
            termsInOrder.insert(id, at: at)
        }
        return id
    }

    // MARK: - Searching

    /// One thing to look for, as FTS5 sees a quoted string: stemmed tokens next to each other, the last one
    /// matching every term it begins when `isPrefix` is set.
    public struct Phrase: Sendable, Hashable {
        public var tokens: [String]
        public var isPrefix: Bool

        public init(tokens: [String], isPrefix: Bool = false) {
            self.tokens = tokens
            self.isPrefix = isPrefix
        }
    }

    /// A query as the site runs it: every clause (a list of alternatives) for a complete match, any phrase for a
    /// match at all, and none of the exclusions. The phrase order is FTS5's `matchAny` order, which BM25 sums in.
    public struct Query: Sendable, Hashable {
        public var clauses: [[Phrase]]
        public var exclusions: [Phrase]

        public init(clauses: [[Phrase]], exclusions: [Phrase] = []) {
            self.clauses = clauses
            self.exclusions = exclusions
        }
    }

    /// A story that matched: its number, whether it matched every clause, and FTS5's BM25 (lower is better).
    public struct Match: Sendable, Hashable {
        public let number: Int64
        public let complete: Bool
        public let score: Double
    }

    /// Every story that matches any phrase of the query and no exclusion, scored with these column weights.
    public func matches(_ query: Query, weights: [Double]) -> [Match] {
        let averageLength = Double(tokenCount) / Double(storyCount)
        let found = query.clauses.map { clause in clause.map { occurrences(of: $0, weights: weights) } }
        // A rare word touches a few dozen stories: a dictionary then beats clearing an array as long as the archive.
        let postings = found.joined().reduce(0) { $0 + $1.slots.count }
        var tallies = Tallies(slotCount: slots.count, sparse: postings * 16 < slots.count)
        for (clauseNumber, phrases) in found.enumerated() {
            for hits in phrases {
                let idf = BM25.inverseDocumentFrequency(rows: storyCount, matching: hits.slots.count)
                for (slot, frequency) in zip(hits.slots, hits.frequencies) {
                    let term = BM25.term(
                        idf: idf, frequency: frequency, length: Double(lengths[Int(slot)]), averageLength: averageLength
                    )
                    tallies.update(slot) { tally in
                        tally.score += term
                        if tally.lastClause != Int32(clauseNumber) {
                            tally.lastClause = Int32(clauseNumber)
                            tally.clauses += 1
                        }
                    }
                }
            }
        }
        for phrase in query.exclusions {
            for slot in occurrences(of: phrase, weights: weights).slots { tallies.exclude(slot) }
        }
        var result: [Match] = []
        result.reserveCapacity(tallies.touched.count)
        let clauseCount = UInt16(clamping: query.clauses.count)
        for slot in tallies.touched {
            let tally = tallies[slot]
            guard !tally.excluded, let number = slots[Int(slot)].number else { continue }
            result.append(Match(number: number, complete: tally.clauses == clauseCount, score: -1.0 * tally.score))
        }
        return result
    }

    /// What a query has found of one story so far: its score (summed in phrase order, as FTS5 sums it), the clauses
    /// it met, and whether an exclusion removed it.
    struct Tally {
        var score = 0.0
        var clauses: UInt16 = 0
        var lastClause: Int32 = -1
        var excluded = false
    }

    /// Tallies by slot, in an array as long as the archive or, for few postings, a dictionary.
    struct Tallies {
        private var dense: [Tally]
        private var sparse: [Int32: Tally] = [:]
        private let isSparse: Bool
        /// Slots in the order they were first met.
        private(set) var touched: [Int32] = []

        init(slotCount: Int, sparse: Bool) {
            isSparse = sparse
            dense = sparse ? [] : Array(repeating: Tally(), count: slotCount)
        }

        subscript(slot: Int32) -> Tally {
            isSparse ? sparse[slot] ?? Tally() : dense[Int(slot)]
        }

        mutating func update(_ slot: Int32, _ change: (inout Tally) -> Void) {
            if isSparse {
                if sparse[slot] == nil { touched.append(slot) }
                change(&sparse[slot, default: Tally()])
            } else {
                if dense[Int(slot)].clauses == 0 { touched.append(slot) }
                change(&dense[Int(slot)])
            }
        }

        /// Marks a story found so far as excluded; one never found stays out anyway.
        mutating func exclude(_ slot: Int32) {
            if isSparse {
                sparse[slot]?.excluded = true
            } else if dense[Int(slot)].clauses > 0 {
                dense[Int(slot)].excluded = true
            }
        }
    }

    /// The stories holding a phrase and its weighted count in each (FTS5 adds a column's weight per instance).
    func occurrences(of phrase: Phrase, weights: [Double]) -> (slots: [Int32], frequencies: [Double]) {
        let title = weights.count > 0 ? weights[0] : 1.0
        let standfirst = weights.count > 1 ? weights[1] : 1.0
        let body = weights.count > 2 ? weights[2] : 1.0
        func weighted(_ counts: Counts) -> Double {
            Double(counts.title) * title + Double(counts.standfirst) * standfirst + Double(counts.body) * body
        }
        guard let last = phrase.tokens.last else { return ([], []) }
        if phrase.tokens.count == 1 {
            let ids = phrase.isPrefix ? termIDs(beginning: last) : termIDs[TermBytes(last)].map { [$0] } ?? []
            if ids.count == 1 {
                let list = postings[Int(ids[0])]
                return (list.slots, list.counts.map(weighted))
            }
            // Several terms share the prefix: add their counts story by story.
            var total: [Int32: Double] = [:]
            for id in ids {
                let list = postings[Int(id)]
                for (slot, counts) in zip(list.slots, list.counts) { total[slot, default: 0] += weighted(counts) }
            }
            let ordered = total.keys.sorted()
            return (ordered, ordered.map { total[$0]! })
        }
        // A phrase: the stories holding every exact token, then a walk through each to find them side by side.
        var exact: [Int32?] = []
        var lastTerms: Set<Int32> = []
        for (position, token) in phrase.tokens.enumerated() {
            if phrase.isPrefix && position == phrase.tokens.count - 1 {
                lastTerms = Set(termIDs(beginning: token))
                if lastTerms.isEmpty { return ([], []) }
                exact.append(nil)
            } else {
                guard let id = termIDs[TermBytes(token)] else { return ([], []) }
                exact.append(id)
            }
        }
        var candidates: [Int32]? = nil
        for id in exact.compactMap({ $0 }).sorted(by: { postings[Int($0)].slots.count < postings[Int($1)].slots.count })
        {
            let list = postings[Int(id)].slots
            candidates = candidates.map { Self.intersection($0, list) } ?? list
        }
        let length = exact.count
        var found: [Int32] = []
        var frequencies: [Double] = []
        for slot in candidates ?? [] {
            let story = slots[Int(slot)]
            var counts = Counts()
            story.tokens.withUnsafeBufferPointer { tokens in
                func instances(from start: Int, to end: Int) -> UInt32 {
                    guard end - start >= length else { return 0 }
                    var count: UInt32 = 0
                    for first in start...(end - length) {
                        var matches = true
                        for k in 0..<length {
                            let term = tokens[first + k]
                            if let wanted = exact[k] {
                                if term != wanted {
                                    matches = false
                                    break
                                }
                            } else if !lastTerms.contains(term) {
                                matches = false
                                break
                            }
                        }
                        if matches { count += 1 }
                    }
                    return count
                }
                let titleEnd = Int(story.titleEnd)
                let standfirstEnd = Int(story.standfirstEnd)
                counts.title = instances(from: 0, to: titleEnd)
                counts.standfirst = instances(from: titleEnd, to: standfirstEnd)
                counts.body = instances(from: standfirstEnd, to: tokens.count)
            }
            if counts.title > 0 || counts.standfirst > 0 || counts.body > 0 {
                found.append(slot)
                frequencies.append(weighted(counts))
            }
        }
        return (found, frequencies)
    }

    /// The ids of every term that begins with these bytes.
    func termIDs(beginning prefix: String) -> [Int32] {
        var ids: [Int32] = []
        var at = lowerBound(of: prefix)
        while at < termsInOrder.count, terms[Int(termsInOrder[at])].utf8.starts(with: prefix.utf8) {
            ids.append(termsInOrder[at])
            at += 1
        }
        return ids
    }

    /// Where `term` goes in `termsInOrder`.
    private func lowerBound(of term: String) -> Int {
        var low = 0
        var high = termsInOrder.count
        while low < high {
            let middle = (low + high) / 2
            if Self.precedes(terms[Int(termsInOrder[middle])], term) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// FTS5's term order: bytewise on UTF-8 (Swift's own `<` compares Unicode scalars after normalisation).
    static func precedes(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    static func firstIndex(notBelow slot: Int32, in list: [Int32]) -> Int {
        if let last = list.last, last < slot { return list.count }
        var low = 0
        var high = list.count
        while low < high {
            let middle = (low + high) / 2
            if list[middle] < slot { low = middle + 1 } else { high = middle }
        }
        return low
    }

    static func intersection(_ left: [Int32], _ right: [Int32]) -> [Int32] {
        var result: [Int32] = []
        var (i, j) = (0, 0)
        while i < left.count && j < right.count {
            if left[i] < right[j] {
                i += 1
            } else if left[i] > right[j] {
                j += 1
            } else {
                result.append(left[i])
                i += 1
                j += 1
            }
        }
        return result
    }
}

/// A term compared and hashed by its UTF-8 bytes, as FTS5 compares terms: Swift's own `String` equality treats
/// canonically equivalent spellings (composed and decomposed Hangul, say) as one term where FTS5 keeps two.
struct TermBytes: Hashable, Sendable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (left: TermBytes, right: TermBytes) -> Bool {
        left.text.utf8.elementsEqual(right.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// Okapi BM25 exactly as SQLite's FTS5 computes it (`fts5Bm25Function`), operation for operation, so that scores
/// computed here and there are equal to the last bit.
public enum BM25 {
    public static let k1 = 1.2
    public static let b = 0.75

    /// `log((N - n + 0.5) / (n + 0.5))`, floored at one millionth as FTS5 floors it (a word in most stories).
    public static func inverseDocumentFrequency(rows: Int, matching hits: Int) -> Double {
        let idf = log((Double(rows - hits) + 0.5) / (Double(hits) + 0.5))
        return idf <= 0 ? 1e-6 : idf
    }

    /// One phrase's share of a story's score.
    public static func term(idf: Double, frequency: Double, length: Double, averageLength: Double) -> Double {
        idf * ((frequency * (k1 + 1.0)) / (frequency + k1 * (1 - b + b * length / averageLength)))
    }
}

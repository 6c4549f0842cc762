import CaravanCore
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

    /// One story's place: its term ids in reading order (title, standfirst, body), which phrase matching walks.
    struct Slot: Sendable {
        /// The story's number, or nil for a free slot.
        var number: Int64?
        /// The term ids as LEB128 varints: most ids are small (the common words are met first), so a token takes
        /// one or two bytes instead of four.
        var tokens: [UInt8]
        /// Where the title ends and where the standfirst ends, in bytes of `tokens`.
        var titleEnd: Int32
        var standfirstEnd: Int32

        /// The term ids, the first `limit` of them at most, into `buffer` (emptied first); gives where the title and
        /// the standfirst end in them (meaningful only when `limit` cut nothing off).
        @discardableResult
        func decode(into buffer: inout [Int32], limit: Int = .max) -> (titleEnd: Int, standfirstEnd: Int) {
            // Never more tokens than bytes: room for all of them is made first, and the rest cut off after.
            let room = min(tokens.count, limit)
            if buffer.count < room { buffer.append(contentsOf: repeatElement(0, count: room - buffer.count)) }
            var written = 0
            var ends = (titleEnd: 0, standfirstEnd: 0)
            let title = Int(titleEnd)
            let standfirst = Int(standfirstEnd)
            tokens.withUnsafeBufferPointer { bytes in
                buffer.withUnsafeMutableBufferPointer { out in
                    var at = 0
                    while at < bytes.count && written < room {
                        if at == title { ends.titleEnd = written }
                        if at == standfirst { ends.standfirstEnd = written }
                        out[written] = Int32(bitPattern: LEB128.read(bytes, at: &at))
                        written += 1
                    }
                    if at == title { ends.titleEnd = written }
                    if at == standfirst { ends.standfirstEnd = written }
                }
            }
            buffer.removeLast(buffer.count - written)
            return ends
        }

        func decoded() -> [Int32] {
            var buffer: [Int32] = []
            decode(into: &buffer)
            return buffer
        }

        /// How often the tokens encoded as `pattern` stand side by side within each column. LEB128 is
        /// self-delimiting, so bytes that match from where a token begins are those very tokens: no decoding.
        func instances(of pattern: [UInt8]) -> Counts {
            var counts = Counts()
            let title = Int(titleEnd)
            let standfirst = Int(standfirstEnd)
            tokens.withUnsafeBufferPointer { bytes in
                pattern.withUnsafeBufferPointer { pattern in
                    let length = pattern.count
                    guard length > 0, bytes.count >= length else { return }
                    let first = pattern[0]
                    for at in 0...(bytes.count - length) where bytes[at] == first && (at == 0 || bytes[at - 1] < 0x80) {
                        var k = 1
                        while k < length && bytes[at + k] == pattern[k] { k += 1 }
                        guard k == length else { continue }
                        let end = at + length
                        if end <= title {
                            counts.title += 1
                        } else if at >= title && end <= standfirst {
                            counts.standfirst += 1
                        } else if at >= standfirst {
                            counts.body += 1
                        }
                    }
                }
            }
            return counts
        }
    }

    private var termIDs: [TermBytes: Int32] = [:]
    private var terms: [String] = []
    /// Term ids in the byte order of their UTF-8, as FTS5 orders terms, for prefix lookups.
    private var termsInOrder: [Int32] = []
    private var postings: [Postings] = []
    /// How many stories hold each term, by term id: what IDF reads, kept apart from the posting lists so that
    /// looking up many terms' counts does not touch each list.
    private var storyCounts: [Int32] = []
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
        var iterator = stories.makeIterator()
        self = Self.build { iterator.next() }
    }

    /// Builds the index from stories read one at a time until `next` gives nil, so that a whole archive's words
    /// never stand in memory at once: only the index does.
    public static func build(_ next: () throws -> Story?) rethrows -> ArchiveIndex {
        var builder = Builder()
        while let story = try next() { builder.add(story) }
        return builder.finish()
    }

    /// Builds an index story by story, for stories that arrive asynchronously.
    public struct Builder {
        private var index = ArchiveIndex()

        public init() {}

        public mutating func add(_ story: Story) {
            index.add(story, keepingTermOrder: false)
        }

        /// The index, its lists trimmed and its vocabulary put in order.
        public consuming func finish() -> ArchiveIndex {
            for id in index.postings.indices { index.postings[id].trim() }
            index.slots = index.slots.trimmed()
            index.lengths = index.lengths.trimmed()
            let terms = index.terms
            index.termsInOrder = (0..<Int32(terms.count)).sorted { ArchiveIndex.precedes(terms[Int($0)], terms[Int($1)]) }
            return index
        }
    }

    /// Adds a story, or replaces the one with its number.
    public mutating func insert(_ story: Story) {
        remove(story.number)
        add(story, keepingTermOrder: true)
    }

    /// Takes a story out; a number the index does not hold is ignored.
    public mutating func remove(_ number: Int64) {
        guard let slot = slotOfStory.removeValue(forKey: number) else { return }
        let tokens = slots[Int(slot)].decoded()
        for id in Set(tokens) {
            postings[Int(id)].remove(slot)
            storyCounts[Int(id)] -= 1
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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2 * story.columns.reduce(0) { $0 + $1.count })
        var length = 0
        var counts: [Int32: Counts] = [:]
        var ends: [Int32] = []
        for (column, words) in story.columns.enumerated() {
            for word in words {
                let id = termID(word, keepingTermOrder: keepingTermOrder)
                LEB128.append(UInt32(bitPattern: id), to: &bytes)
                length += 1
                switch column {
                case 0: counts[id, default: Counts()].title += 1
                case 1: counts[id, default: Counts()].standfirst += 1
                default: counts[id, default: Counts()].body += 1
                }
            }
            ends.append(Int32(bytes.count))
        }
        for (id, count) in counts {
            postings[Int(id)].insert(count, of: slot)
            storyCounts[Int(id)] += 1
        }
        slots[Int(slot)] = Slot(number: story.number, tokens: bytes.trimmed(), titleEnd: ends[0], standfirstEnd: ends[1])
        slotOfStory[story.number] = slot
        lengths[Int(slot)] = Int32(length)
        tokenCount += length
    }

    private mutating func termID(_ term: String, keepingTermOrder: Bool) -> Int32 {
        if let id = termIDs[TermBytes(term)] { return id }
        let id = Int32(terms.count)
        termIDs[TermBytes(term)] = id
        terms.append(term)
        postings.append(Postings())
        storyCounts.append(0)
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
        /// In the first tier of `Ranking.tier`: holds every clause that tier asks for (always true without a tier).
        public var leading = true

        public init(number: Int64, complete: Bool, score: Double, leading: Bool = true) {
            self.number = number
            self.complete = complete
            self.score = score
            self.leading = leading
        }
    }

    /// How matches are scored. `plainBM25` is FTS5's `bm25()` to the bit, the reference the tests hold this index to;
    /// the site's ranking (`site`) adds a tier, a proximity bonus and pseudo-relevance feedback to field-weighted BM25.
    public struct Ranking: Sendable, Hashable {
        /// Column weights: title, standfirst, body (FTS5 adds a column's weight per instance of a term).
        public var weights: [Double]
        /// Weight of the bonus for query words standing close together (pairs up to `window` words apart).
        public var proximity: Double
        public var window: Int
        /// How many of the best-scored stories proximity and feedback rescore (the rest keep their score).
        public var depth: Int

        /// Stories holding every clause of at least this IDF rank first (nil: no tier). Words in so many stories that
        /// their IDF is below it, and words the archive lacks, are not asked for.
        public var tier: Double? = nil
        /// Pseudo-relevance feedback: the words most typical of the best `feedbackStories` stories (at most
        /// `feedbackWords`, shared by `feedbackAgreement` of them, weighed by how often they occur there and by their
        /// IDF) rescore the best `depth` matches, weighing `feedback` of one query word in all. It reorders the
        /// matches and never adds one.
        public var feedback: Double = 0
        public var feedbackStories = 10
        public var feedbackWords = 10
        public var feedbackAgreement = 2
        /// How many tokens of each top story, from its start, the feedback words are drawn from.
        public var feedbackReach = 128

        public init(weights: [Double], proximity: Double = 0, window: Int = 5, depth: Int = 200) {
            self.weights = weights
            self.proximity = proximity
            self.window = window
            self.depth = depth
        }

        /// FTS5's `bm25()` with these column weights, nothing added.
        public static func plainBM25(weights: [Double]) -> Ranking { Ranking(weights: weights) }

        /// The site's ranking, one set of parameters for every archive, chosen on the whole relevance workbench
        /// (`scripts/eval-collections`, six collections at once): a title word counts twice, a standfirst word one
        /// and a half times; stories holding every word rank first, except the words in half the archive or more
        /// and the words it does not hold; close query words and the top stories' shared vocabulary reorder the rest.
        public static let site: Ranking = {
            var ranking = Ranking(weights: [2, 1.5, 1], proximity: 0.3, window: 5, depth: 200)
            // Above FTS5's IDF floor (one millionth), which is what a word in half the stories or more gets.
            ranking.tier = 1e-3
            ranking.feedback = 1
            return ranking
        }()
    }

    /// Every story that matches any phrase of the query and no exclusion, scored by `ranking`.
    public func matches(_ query: Query, ranking: Ranking) -> [Match] {
        matches(query, ranking: ranking, mergingAtMost: Self.mergedLists)
    }

    /// The same, walking up to `mergingAtMost` posting lists side by side and tallying more (the tests hold the
    /// two ways to the same answer).
    func matches(_ query: Query, ranking: Ranking, mergingAtMost: Int) -> [Match] {
        let weights = ranking.weights
        let averageLength = Double(tokenCount) / Double(storyCount)
        let found = query.clauses.map { clause in clause.map { occurrences(of: $0, weights: weights) } }
        // Each clause weighs the IDF of its rarest alternative that the archive holds; a clause it does not hold
        // weighs nothing, so a misspelt or unknown word neither helps nor hurts.
        let clauseWeights = found.map { phrases in
            phrases.filter { !$0.slots.isEmpty }.map {
                BM25.inverseDocumentFrequency(rows: storyCount, matching: $0.slots.count)
            }.max() ?? 0
        }
        let tierIDF = ranking.tier ?? .infinity
        let required = clauseWeights.filter { $0 >= tierIDF }.count
        // Each phrase's posting list, in the order FTS5 adds their scores: clause by clause, phrase by phrase.
        let lists = found.enumerated().flatMap { clause, phrases in phrases.map { Hits(clause: clause, slots: $0.slots, frequencies: $0.frequencies) } }
        let excluded = Self.union(query.exclusions.map { occurrences(of: $0, weights: weights).slots })
        let met = Met(clauseWeights: clauseWeights, tierIDF: tierIDF)
        var scored: [(slot: Int32, score: Double)] = []
        var clausesMet: [(clauses: UInt16, required: UInt16)] = []
        if lists.count <= mergingAtMost {
            merge(lists, excluding: excluded, met: met, averageLength: averageLength, into: &scored, &clausesMet)
        } else {
            tally(lists, excluding: excluded, met: met, averageLength: averageLength, into: &scored, &clausesMet)
        }
        var result: [Match] = []
        result.reserveCapacity(scored.count)
        let clauseCount = UInt16(clamping: query.clauses.count)
        // With few matches the top stories are nearly all of them, and feedback would only echo them.
        let feedback = ranking.feedback > 0 && scored.count > 2 * ranking.feedbackStories
        let proximity = ranking.proximity > 0 && query.clauses.count > 1
        if feedback || proximity {
            // The stories both rescore, chosen once on BM25, in slot order so each posting list is walked forwards.
            let best = (ranking.depth < scored.count
                ? scored.indices.leading(ranking.depth) { isAbove(scored[$0], scored[$1]) }
                : Array(scored.indices)).sorted { scored[$0].slot < scored[$1].slot }
            if feedback { addFeedback(to: &scored, rescoring: best, query: query, ranking: ranking, averageLength: averageLength) }
            if proximity {
                addProximity(
                    to: &scored, rescoring: best, query: query, clauseWeights: clauseWeights, ranking: ranking,
                    averageLength: averageLength)
            }
        }
        for ((slot, score), found) in zip(scored, clausesMet) {
            result.append(
                Match(
                    number: slots[Int(slot)].number!, complete: found.clauses == clauseCount, score: -1.0 * score,
                    leading: Int(found.required) == required))
        }
        return result
    }

    /// One phrase's stories (ascending slots) and its weighted count in each, with the clause it belongs to.
    struct Hits {
        let clause: Int
        let slots: [Int32]
        let frequencies: [Double]
    }

    /// Which clauses count towards the ranking's tier.
    struct Met {
        let clauseWeights: [Double]
        let tierIDF: Double

        func isRequired(_ clause: Int) -> Bool { clauseWeights[clause] >= tierIDF }
    }

    /// Up to this many posting lists are walked side by side; more (a prefix's many written words) are tallied.
    static let mergedLists = 8

    /// The matches of a few posting lists walked side by side in slot order: no table as long as the archive, and
    /// each story's terms added in list order, as FTS5 adds them.
    private func merge(
        _ lists: [Hits], excluding excluded: [Int32], met: Met, averageLength: Double,
        into scored: inout [(slot: Int32, score: Double)], _ clausesMet: inout [(clauses: UInt16, required: UInt16)]
    ) {
        let idfs = lists.map { BM25.inverseDocumentFrequency(rows: storyCount, matching: $0.slots.count) }
        let capacity = lists.map(\.slots.count).max() ?? 0
        scored.reserveCapacity(capacity)
        clausesMet.reserveCapacity(capacity)
        var cursors = [Int](repeating: 0, count: lists.count)
        var skip = 0
        while true {
            var slot = Int32.max
            for index in lists.indices where cursors[index] < lists[index].slots.count {
                slot = min(slot, lists[index].slots[cursors[index]])
            }
            guard slot != .max else { break }
            let length = Double(lengths[Int(slot)])
            var score = 0.0
            var clauses: UInt16 = 0
            var required: UInt16 = 0
            var lastClause = -1
            for index in lists.indices where cursors[index] < lists[index].slots.count && lists[index].slots[cursors[index]] == slot {
                let list = lists[index]
                score += BM25.term(
                    idf: idfs[index], frequency: list.frequencies[cursors[index]], length: length, averageLength: averageLength)
                cursors[index] += 1
                if list.clause != lastClause {
                    lastClause = list.clause
                    clauses += 1
                    if met.isRequired(list.clause) { required += 1 }
                }
            }
            while skip < excluded.count && excluded[skip] < slot { skip += 1 }
            if skip < excluded.count && excluded[skip] == slot { continue }
            guard slots[Int(slot)].number != nil else { continue }
            scored.append((slot, score))
            clausesMet.append((clauses, required))
        }
    }

    /// The same matches from many posting lists, tallied by slot.
    private func tally(
        _ lists: [Hits], excluding excluded: [Int32], met: Met, averageLength: Double,
        into scored: inout [(slot: Int32, score: Double)], _ clausesMet: inout [(clauses: UInt16, required: UInt16)]
    ) {
        // A rare word touches a few dozen stories: a dictionary then beats clearing an array as long as the archive.
        let postings = lists.reduce(0) { $0 + $1.slots.count }
        var tallies = Tallies(slotCount: slots.count, sparse: postings * 16 < slots.count)
        for hits in lists {
            let idf = BM25.inverseDocumentFrequency(rows: storyCount, matching: hits.slots.count)
            for (slot, frequency) in zip(hits.slots, hits.frequencies) {
                let term = BM25.term(
                    idf: idf, frequency: frequency, length: Double(lengths[Int(slot)]), averageLength: averageLength)
                tallies.update(slot) { tally in
                    tally.score += term
                    if tally.lastClause != Int32(hits.clause) {
                        tally.lastClause = Int32(hits.clause)
                        tally.clauses += 1
                        if met.isRequired(hits.clause) { tally.required += 1 }
                    }
                }
            }
        }
        for slot in excluded { tallies.exclude(slot) }
        for slot in tallies.touched {
            let tally = tallies[slot]
            guard !tally.excluded, slots[Int(slot)].number != nil else { continue }
            scored.append((slot, tally.score))
            clausesMet.append((tally.clauses, tally.required))
        }
    }

    /// The slots of several ascending lists, ascending and each once.
    static func union(_ lists: [[Int32]]) -> [Int32] {
        if lists.count <= 1 { return lists.first ?? [] }
        return Set(lists.joined()).sorted()
    }

    /// Whether one scored story ranks above another: the higher score, then the higher story number (never the
    /// slot, which depends on the index's history).
    private func isAbove(_ left: (slot: Int32, score: Double), _ right: (slot: Int32, score: Double)) -> Bool {
        left.score != right.score
            ? left.score > right.score : slots[Int(left.slot)].number! > slots[Int(right.slot)].number!
    }

    /// Pseudo-relevance feedback over the matches (see `Ranking.feedback`).
    private func addFeedback(
        to scored: inout [(slot: Int32, score: Double)], rescoring rescored: [Int], query: Query, ranking: Ranking,
        averageLength: Double
    ) {
        let top = scored.leading(ranking.feedbackStories) { isAbove($0, $1) }
        guard let best = top.first?.score, best > 0 else { return }
        // The query's own terms, few enough to scan.
        var asked: [Int32] = []
        for phrase in query.clauses.joined() {
            for token in phrase.tokens { if let id = termIDs[TermBytes(token)] { asked.append(id) } }
        }
        // Relevance model: each word's share of each top story, the story weighed by its score, tallied in a small
        // open-addressing table (a dictionary or a sort of the tokens cost more than the rest of the feedback).
        let reach = ranking.feedbackReach
        var capacity = 64
        while capacity < 2 * top.count * reach { capacity <<= 1 }
        let mask = capacity - 1
        // One table of entries, not one array per field: a single allocation, and each probe reads one line.
        var table = [FeedbackEntry](repeating: FeedbackEntry(), count: capacity)
        var tokens: [Int32] = []
        for (place, (slot, score)) in top.enumerated() {
            slots[Int(slot)].decode(into: &tokens, limit: reach)
            guard !tokens.isEmpty else { continue }
            let share = score / best / Double(tokens.count)
            table.withUnsafeMutableBufferPointer { table in
                for id in tokens where !asked.contains(id) {
                    var at = Int(UInt32(bitPattern: id) &* 2_654_435_761) & mask
                    while table[at].key != -1 && table[at].key != id { at = (at + 1) & mask }
                    table[at].key = id
                    table[at].weight += share
                    if table[at].lastStory != Int32(place) {
                        table[at].lastStory = Int32(place)
                        table[at].stories += 1
                    }
                }
            }
        }
        var words: [(id: Int32, weight: Double)] = []
        for entry in table where entry.key != -1 && entry.stories >= ranking.feedbackAgreement {
            // A word of one story only says more about that story than about the subject.
            let idf = BM25.inverseDocumentFrequency(rows: storyCount, matching: Int(storyCounts[Int(entry.key)]))
            words.append((entry.key, entry.weight * idf))
        }
        words = words.leading(ranking.feedbackWords) {
            $0.weight > $1.weight || ($0.weight == $1.weight && Self.precedes(terms[Int($0.id)], terms[Int($1.id)]))
        }
        let total = words.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return }
        // Each rescored story looks the feedback words up in their posting lists, which costs the same however
        // common the words are.
        let title = ranking.weights.count > 0 ? ranking.weights[0] : 1.0
        let standfirst = ranking.weights.count > 1 ? ranking.weights[1] : 1.0
        let body = ranking.weights.count > 2 ? ranking.weights[2] : 1.0
        let targets = rescored.map { scored[$0].slot }
        for (id, weight) in words {
            let list = postings[Int(id)]
            let idf = BM25.inverseDocumentFrequency(rows: storyCount, matching: list.count)
            let share = ranking.feedback * weight / total
            list.find(targets) { place, at in
                let index = rescored[place]
                let slot = targets[place]
                let counts = list.counts(at: at, slot: slot)
                let frequency = Double(counts.title) * title + Double(counts.standfirst) * standfirst + Double(counts.body) * body
                scored[index].score += share * BM25.term(
                    idf: idf, frequency: frequency, length: Double(lengths[Int(slot)]), averageLength: averageLength)
            }
        }
    }

    /// A word of the top stories in the feedback's table: its share of them, and how many of them hold it.
    private struct FeedbackEntry {
        var key: Int32 = -1
        var lastStory: Int32 = -1
        var stories: Int32 = 0
        var weight: Double = 0
    }

    /// Raises the best `ranking.depth` stories by how closely their query words stand: each pair of different
    /// query words `d` words apart (within a column, at most `window`) adds 1/d² to both words' tallies, which
    /// saturate as BM25's frequencies do, each weighed by its word's IDF capped at 1.
    private func addProximity(
        to scored: inout [(slot: Int32, score: Double)], rescoring best: [Int], query: Query, clauseWeights: [Double],
        ranking: Ranking, averageLength: Double
    ) {
        // Single words and prefixes only: a quoted phrase already demands its words side by side.
        var clauseOfTerm: [Int32: Int32] = [:]
        for (clauseNumber, phrases) in query.clauses.enumerated() {
            for phrase in phrases where phrase.tokens.count == 1 {
                let ids = phrase.isPrefix ? termIDs(beginning: phrase.tokens[0]) : termIDs[TermBytes(phrase.tokens[0])].map { [$0] } ?? []
                for id in ids where clauseOfTerm[id] == nil { clauseOfTerm[id] = Int32(clauseNumber) }
            }
        }
        guard Set(clauseOfTerm.values).count > 1 else { return }
        // A handful of terms is found faster by a scan than by hashing every token.
        let smallLookup = clauseOfTerm.map { ($0.key, $0.value) }
        let few = smallLookup.count <= 8
        let clauseCount = query.clauses.count
        let caps = clauseWeights.map { min(1.0, $0) }
        var last = [Int](repeating: Int.min / 2, count: clauseCount)
        var tallies = [Double](repeating: 0, count: clauseCount)
        var decoded: [Int32] = []
        for index in best {
            let slot = scored[index].slot
            let story = slots[Int(slot)]
            for c in 0..<clauseCount {
                last[c] = Int.min / 2
                tallies[c] = 0
            }
            let ends = story.decode(into: &decoded)
            decoded.withUnsafeBufferPointer { tokens in
                for position in 0..<tokens.count {
                    if position == ends.titleEnd || position == ends.standfirstEnd {
                        for c in 0..<clauseCount { last[c] = Int.min / 2 }
                    }
                    let token = tokens[position]
                    var clause = -1
                    if few {
                        for (id, number) in smallLookup where id == token {
                            clause = Int(number)
                            break
                        }
                    } else if let number = clauseOfTerm[token] {
                        clause = Int(number)
                    }
                    guard clause >= 0 else { continue }
                    for other in 0..<clauseCount where other != clause {
                        let distance = position - last[other]
                        if distance <= ranking.window {
                            let closeness = 1.0 / Double(distance * distance)
                            tallies[clause] += closeness
                            tallies[other] += closeness
                        }
                    }
                    last[clause] = position
                }
            }
            let norm = BM25.k1 * (1 - BM25.b + BM25.b * Double(lengths[Int(slot)]) / averageLength)
            var bonus = 0.0
            for c in 0..<clauseCount where tallies[c] > 0 {
                bonus += caps[c] * (tallies[c] * (BM25.k1 + 1)) / (tallies[c] + norm)
            }
            scored[index].score += ranking.proximity * bonus
        }
    }

    /// What a query has found of one story so far: its score (summed in phrase order, as FTS5 sums it), the clauses
    /// it met, and whether an exclusion removed it.
    struct Tally {
        var score = 0.0
        /// How many of the clauses met the ranking's tier asks for.
        var required: UInt16 = 0
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
                let slots = list.slots()
                return (slots, slots.enumerated().map { weighted(list.counts(at: $0, slot: $1)) })
            }
            // Several terms share the prefix: add their counts story by story.
            var total: [Int32: Double] = [:]
            for id in ids {
                let list = postings[Int(id)]
                for (at, slot) in list.slots().enumerated() {
                    total[slot, default: 0] += weighted(list.counts(at: at, slot: slot))
                }
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
        for id in exact.compactMap({ $0 }).sorted(by: { postings[Int($0)].count < postings[Int($1)].count })
        {
            let list = postings[Int(id)].slots()
            candidates = candidates.map { Self.intersection($0, list) } ?? list
        }
        var found: [Int32] = []
        var frequencies: [Double] = []
        if !phrase.isPrefix {
            // Exact tokens: matched on the stories' bytes as they are stored.
            var pattern: [UInt8] = []
            for id in exact { LEB128.append(UInt32(bitPattern: id!), to: &pattern) }
            for slot in candidates ?? [] {
                let counts = slots[Int(slot)].instances(of: pattern)
                if counts.title > 0 || counts.standfirst > 0 || counts.body > 0 {
                    found.append(slot)
                    frequencies.append(weighted(counts))
                }
            }
            return (found, frequencies)
        }
        let length = exact.count
        var decoded: [Int32] = []
        for slot in candidates ?? [] {
            let story = slots[Int(slot)]
            var counts = Counts()
            let ends = story.decode(into: &decoded)
            decoded.withUnsafeBufferPointer { tokens in
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
                let titleEnd = ends.titleEnd
                let standfirstEnd = ends.standfirstEnd
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

    /// A query's wanted terms as this index's term ids, so that a story's tokens in memory say which wanted terms
    /// they are without the story's text being read again.
    public struct TermMarks: Sendable {
        fileprivate var bits: [Int32: UInt64] = [:]
    }

    public func termMarks(_ wanted: WantedTerms) -> TermMarks {
        var marks = TermMarks()
        for (number, entry) in wanted.entries.enumerated() {
            let term = String(decoding: entry.bytes, as: UTF8.self)
            let ids = entry.isPrefix ? termIDs(beginning: term) : termIDs[TermBytes(term)].map { [$0] } ?? []
            for id in ids { marks.bits[id, default: 0] |= 1 << UInt64(number) }
        }
        return marks
    }

    /// For each token of one column of a story (0 title, 1 standfirst, 2 body), which wanted terms it is (bit `i`
    /// for `WantedTerms.entries[i]`), as `WantedTerms.bits` says of the same token from the tokenizer; nil for a
    /// story the index does not hold.
    public func wantedBits(of number: Int64, column: Int, marks: TermMarks) -> [UInt64]? {
        guard (0..<Self.columnCount).contains(column), let slot = slotOfStory[number] else { return nil }
        let story = slots[Int(slot)]
        var all: [Int32] = []
        let ends = story.decode(into: &all)
        let tokens: ArraySlice<Int32> =
            switch column {
            case 0: all[..<ends.titleEnd]
            case 1: all[ends.titleEnd..<ends.standfirstEnd]
            default: all[ends.standfirstEnd...]
            }
        var bits = [UInt64](repeating: 0, count: tokens.count)
        // Most queries want one term or a few: comparing with each beats hashing every token.
        if marks.bits.count <= 4 {
            for (id, entryBits) in marks.bits {
                for (at, token) in tokens.enumerated() where token == id { bits[at] |= entryBits }
            }
        } else {
            for (at, token) in tokens.enumerated() { bits[at] = marks.bits[token] ?? 0 }
        }
        return bits
    }

    /// How many stories hold this exact term.
    public func storiesHolding(_ term: String) -> Int {
        termIDs[TermBytes(term)].map { Int(storyCounts[Int($0)]) } ?? 0
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

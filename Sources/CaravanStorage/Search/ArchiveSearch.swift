import CaravanCore
import CaravanSearch
import Foundation
import Synchronization

/// What the search filters and facets need of every published story, read once per content version.
///
/// Joining each match to its story row and its countries cost more than the full-text match itself; held in
/// memory, a filter or a facet is a lookup.
public struct SearchFacts: Sendable {
    /// Plain values only, so that looking a story up for each of thousands of matches copies no references.
    public struct Story: Sendable {
        public let published: Int64?
        public let sectionID: Int64?
        public let language: Article.Language?
        public let countries: CountrySet

        public init(published: Int64?, sectionID: Int64?, language: Article.Language?, countries: CountrySet) {
            self.published = published
            self.sectionID = sectionID
            self.language = language
            self.countries = countries
        }
    }

    /// Countries as bits, in `Country.allCases` order.
    public struct CountrySet: Sendable {
        public private(set) var bits: UInt32 = 0
        static let ordinals = Dictionary(uniqueKeysWithValues: Country.allCases.enumerated().map { ($1, $0) })

        public init(_ countries: some Sequence<Country>) {
            for country in countries { bits |= 1 << UInt32(Self.ordinals[country]!) }
        }

        /// The countries of a list of codes, `KZ,UZ` (unknown codes left out).
        public init(codes: String?) {
            self.init(codes.map { $0.split(separator: ",").compactMap { Country(rawValue: String($0)) } } ?? [])
        }

        public func contains(_ country: Country) -> Bool { bits & (1 << UInt32(Self.ordinals[country]!)) != 0 }
    }

    /// Stories by number: an array when the numbers are compact (as both engines hand them out), else a dictionary.
    public struct Stories: Sendable {
        private var byPosition: [Story?] = []
        private var byNumber: [Int64: Story] = [:]

        public init(_ stories: [(number: Int64, story: Story)]) {
            let highest = stories.map(\.number).max() ?? 0
            if stories.allSatisfy({ $0.number >= 0 }) && highest < 4 * Int64(stories.count) + 1_024 {
                byPosition = Array(repeating: nil, count: Int(highest) + 1)
                for (number, story) in stories { byPosition[Int(number)] = story }
            } else {
                byNumber = Dictionary(stories, uniquingKeysWith: { first, _ in first })
            }
        }

        public subscript(number: Int64) -> Story? {
            if number >= 0 && number < byPosition.count { return byPosition[Int(number)] }
            return byNumber[number]
        }
    }

    /// The content version these facts were read at.
    public let version: Int64
    public let stories: Stories

    public init(version: Int64, stories: Stories) {
        self.version = version
        self.stories = stories
    }
}

/// The filters of a search request, checked against a story's facts.
public struct SearchFilter: Sendable {
    let country: Country?
    /// The section's id, or nil for no section filter; `.some(nil)` when the slug names no section (nothing passes).
    let sectionID: Int64??
    let language: Article.Language?
    let from: Int64?
    let to: Int64?

    /// `sectionID` is the id of the request's section, looked up by the engine (nil when the slug names none).
    public init(_ request: SearchRequest, sectionID: Int64?) {
        country = request.country
        self.sectionID = request.section == nil ? nil : .some(sectionID)
        language = request.language
        from = request.from.map { Int64($0.timeIntervalSince1970) }
        to = request.to.map { Int64($0.timeIntervalSince1970) }
    }

    public func admits(_ story: SearchFacts.Story) -> Bool {
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

/// Whether the archive index in memory can answer a search whose snapshot of the database has seen the change log
/// up to `sequence`, the index having caught up to `indexed` (nil before it is first built).
public enum ArchiveIndexFreshness: Equatable, Sendable {
    /// The index is the snapshot's archive.
    case level
    /// A few stories changed: re-read them in the search's own snapshot, so it never sees an edit late.
    case catchUp
    /// Many changed (start-up, a bulk import): rebuild off the search path; the database's full text answers meanwhile.
    case rebuild
    /// The index has moved past this snapshot (a search that began before a commit): the full text answers.
    case aheadOfSnapshot

    /// Stories re-read inside a search; beyond this the index is rebuilt off the search path.
    public static let catchUpLimit: Int64 = 500

    public init(indexed: Int64?, sequence: Int64) {
        guard let indexed else {
            self = sequence <= Self.catchUpLimit ? .catchUp : .rebuild
            return
        }
        if indexed == sequence {
            self = .level
        } else if indexed > sequence {
            self = .aheadOfSnapshot
        } else {
            self = sequence - indexed > Self.catchUpLimit ? .rebuild : .catchUp
        }
    }
}

/// The search both engines run on the archive index in memory: matches filtered and counted by the stories' facts,
/// the page chosen from them, and its titles and passages marked from the index's tokens.
public enum ArchiveSearch {
    /// What the ranking needs of one matching story; kept small, because the page is chosen from all of them.
    public struct Match: Sendable {
        public let number: Int64
        public let complete: Bool
        /// Ranks in the first tier: every word the tier asks for (on the full-text fallbacks, every word).
        public let leading: Bool
        /// Lower is better, as SQLite's bm25() gives it.
        public let score: Double
        public let published: Int64?

        public init(number: Int64, complete: Bool, leading: Bool, score: Double, published: Int64?) {
            self.number = number
            self.complete = complete
            self.leading = leading
            self.score = score
            self.published = published
        }
    }

    /// Counts by country and by year in the newsroom's time zone, over every match.
    public struct Facets {
        let offsetSeconds: Int64
        private var counted: [Int: Int] = [:]
        private var countryCounts = [Int](repeating: 0, count: Country.allCases.count)
        /// The year of the last story counted, the seconds it spans, and how many stories in a row fell in it: matches
        /// come in the order stories were added, mostly a year at a time, so a year is worked out once a run.
        private var run: (year: Int, start: Int64, end: Int64, count: Int) = (0, 0, 0, 0)

        public init(offsetSeconds: Int64) {
            self.offsetSeconds = offsetSeconds
        }

        public var years: [Int: Int] {
            var years = counted
            if run.count > 0 { years[run.year, default: 0] += run.count }
            return years
        }

        public var countries: [Country: Int] {
            var counts: [Country: Int] = [:]
            for (ordinal, country) in Country.allCases.enumerated() where countryCounts[ordinal] > 0 {
                counts[country] = countryCounts[ordinal]
            }
            return counts
        }

        public mutating func count(_ story: SearchFacts.Story) {
            if let published = story.published {
                let local = published &+ offsetSeconds  // wraps, never traps
                if local >= run.start && local < run.end {
                    run.count += 1
                } else {
                    if run.count > 0 { counted[run.year, default: 0] += run.count }
                    let year = CivilTime(seconds: local).year
                    // A time beyond CivilTime's limit falls outside its year's span, so it is worked out each time.
                    run = (year, CivilTime.startOfYear(year), CivilTime.startOfYear(year + 1), 1)
                }
            }
            var bits = story.countries.bits
            while bits != 0 {
                countryCounts[bits.trailingZeroBitCount] += 1
                bits &= bits - 1
            }
        }
    }

    /// The ranking a sort asks of the index: newest first reads no score, and field-weighted BM25 alone gives the
    /// "matched every word" flags.
    public static func ranking(for sort: SearchSort) -> ArchiveIndex.Ranking {
        sort == .newest ? .plainBM25(weights: ArchiveIndex.Ranking.site.weights) : .site
    }

    /// The index's matches that the filter admits, each counted into the facets.
    public static func matches(
        _ index: ArchiveIndex, query: ArchiveIndex.Query, ranking: ArchiveIndex.Ranking = .site, facts: SearchFacts,
        filter: SearchFilter, facets: inout Facets
    ) -> [Match] {
        var matches: [Match] = []
        for found in index.matches(query, ranking: ranking) {
            // A story missing from the facts is not one this snapshot shows.
            guard let story = facts.stories[found.number], filter.admits(story) else { continue }
            facets.count(story)
            matches.append(
                Match(
                    number: found.number, complete: found.complete, leading: found.leading, score: found.score,
                    published: story.published))
        }
        return matches
    }

    /// The matches in page order, sorted only as far as `count` needs.
    public static func ordered(_ matches: [Match], sort: SearchSort, through count: Int) -> [Match] {
        let newestFirst: (Match, Match) -> Bool = { left, right in
            if left.published != right.published { return (left.published ?? .min) > (right.published ?? .min) }
            return left.number > right.number
        }
        // Far down the list a whole sort is cheaper than inserting into a long kept list.
        let sortAll = count > 200
        switch sort {
        case .newest:
            return sortAll ? matches.sorted(by: newestFirst) : matches.leading(count, by: newestFirst)
        case .relevance:
            // Stories in the first tier first, then the score (lower is better), then the newer story.
            let byRelevance: (Match, Match) -> Bool = { left, right in
                if left.leading != right.leading { return left.leading }
                if left.score != right.score { return left.score < right.score }
                return newestFirst(left, right)
            }
            return sortAll ? matches.sorted(by: byRelevance) : matches.leading(count, by: byRelevance)
        }
    }

    /// The phrases to mark: each clause's own term first, so a prefix's written words do not crowd out later words'
    /// marks.
    public static func markedPhrases(_ query: ArchiveIndex.Query) -> [ArchiveIndex.Phrase] {
        query.clauses.compactMap(\.first) + query.clauses.flatMap { $0.dropFirst() }
    }

    /// A story's searchable text: what search marks its matches in.
    public struct Text: Sendable {
        public let title: String
        public let standfirst: String
        public let body: String

        public init(title: String, standfirst: String, body: String) {
            self.title = title
            self.standfirst = standfirst
            self.body = body
        }
    }

    /// The query's terms and where the index holds them, worked out once for a page of stories.
    public struct Marking {
        let wanted: WantedTerms
        let index: ArchiveIndex?
        let marks: ArchiveIndex.TermMarks?

        public init(_ phrases: [ArchiveIndex.Phrase], index: ArchiveIndex?) {
            wanted = WantedTerms(phrases)
            self.index = index
            marks = index?.termMarks(wanted)
        }
    }

    /// A story's title with every match marked, and the passage around its best match.
    public static func marked(
        _ text: Text, number: Int64, marking: Marking, tokenizer: some ArchiveTokenizer
    ) throws -> (title: String, passage: String) {
        let wanted = marking.wanted
        func matched(_ text: String) throws -> (tokens: [MarkableToken], instances: [Passage.Instance]) {
            let tokens = try tokenizer.markableTokens(of: text, wanted: wanted)
            return (tokens, Passage.instances(of: wanted, in: tokens))
        }
        let title = try matched(text.title)
        var passage: String? = nil
        if let index = marking.index, let marks = marking.marks {
            passage = try passageFromIndex(
                text, number: number, index: index, marks: marks, wanted: wanted, tokenizer: tokenizer)
        }
        return (
            Passage.markedHTML(text.title, tokens: title.tokens, instances: title.instances),
            try passage ?? passageByTokenizing(text, matched: matched)
        )
    }

    /// The passage of a story's body, or of its standfirst when the body does not hold the words, marked from every
    /// token of it.
    private static func passageByTokenizing(
        _ text: Text, matched: (String) throws -> (tokens: [MarkableToken], instances: [Passage.Instance])
    ) throws -> String {
        var passageText = text.body
        var passageMarks = try matched(passageText)
        // The standfirst speaks for a story whose body does not hold the words.
        if passageMarks.instances.isEmpty, !text.standfirst.isEmpty {
            let standfirstMarks = try matched(text.standfirst)
            if !standfirstMarks.instances.isEmpty {
                (passageText, passageMarks) = (text.standfirst, standfirstMarks)
            }
        }
        return Passage.passageHTML(passageText, tokens: passageMarks.tokens, instances: passageMarks.instances)
    }

    /// The same passage, its marks found in the story's tokens in memory (which the search's snapshot sees level
    /// with the text), so that only the text up to the passage's end is read for offsets, by the tokenizer without
    /// its stemmer; nil when the index does not hold the story or the text does not hold the tokens it does.
    private static func passageFromIndex(
        _ text: Text, number: Int64, index: ArchiveIndex, marks: ArchiveIndex.TermMarks, wanted: WantedTerms,
        tokenizer: some ArchiveTokenizer
    ) throws -> String? {
        guard let body = index.wantedBits(of: number, column: 2, marks: marks) else { return nil }
        var (passageText, bits) = (text.body, body)
        var instances = Passage.instances(of: wanted, in: bits)
        if instances.isEmpty, !text.standfirst.isEmpty,
            let standfirst = index.wantedBits(of: number, column: 1, marks: marks)
        {
            let standfirstInstances = Passage.instances(of: wanted, in: standfirst)
            if !standfirstInstances.isEmpty { (passageText, bits, instances) = (text.standfirst, standfirst, standfirstInstances) }
        }
        let window = Passage.window(tokenCount: bits.count, instances: instances)
        // A whole text is read one token past its end, so that a text longer than the index says is noticed.
        let reach = window?.upperBound ?? bits.count
        let tokens = try tokenizer.tokens(of: passageText, through: window == nil ? reach + 1 : reach)
        guard tokens.count == reach else { return nil }
        guard let window else { return Passage.markedHTML(passageText, tokens: tokens, instances: instances) }
        return Passage.passageHTML(
            passageText, tokens: tokens, tokenCount: bits.count, instances: instances, window: window)
    }

    /// How many written words a prefix brings in at most, the most frequent first.
    public static let prefixWords = 64
    /// Shorter prefixes begin nearly every stem they mean already, and would read much of the vocabulary.
    public static let shortestExpandedPrefix = 4

    /// Of the archive's words as written that begin with a folded prefix (the most frequent first), one per stem and
    /// none whose stem the prefix itself begins: each stem then counts once in the prefix's clause.
    public static func prefixWords(
        _ written: [String], beginning prefix: String, tokenizer: some ArchiveTokenizer
    ) throws -> [String] {
        let stemmedPrefix = try tokenizer.terms(of: prefix, as: .prefix).last ?? prefix
        var stems: Set<String> = []
        return try written.filter { word in
            guard let stem = try tokenizer.terms(of: word, as: .query).first else { return false }
            return !stem.utf8.starts(with: stemmedPrefix.utf8) && stems.insert(stem).inserted
        }
    }

    /// Whether a word of the query is one the archive lacks or holds in at most `DidYouMean.rareWord` stories, from
    /// the stems' counts in memory (a written word is never commoner than its stem).
    public static func holdsARareWord(
        _ query: ParsedQuery, index: ArchiveIndex, tokenizer: some ArchiveTokenizer
    ) throws -> Bool {
        try query.suggestableWords.contains { word in
            try tokenizer.terms(of: word, as: .query).contains { stem in
                let stories = index.storiesHolding(stem)
                return stories == 0 || (stories <= DidYouMean.rareWord && word.unicodeScalars.count >= 5)
            }
        }
    }
}

/// One rebuild of an archive index at a time: a caller that finds one under way waits for it (or, in the background,
/// leaves it be) instead of building a second.
public final class ArchiveRebuild: Sendable {
    /// The rebuild under way, which every caller waits on and whose failure each of them sees.
    private let underway = Mutex<Task<Void, any Error>?>(nil)

    public init() {}

    public var isUnderway: Bool { underway.withLock { $0 != nil } }

    /// Runs `rebuild` now, or waits for the one under way; either way, throws what that rebuild threw.
    public func runOrAwait(_ rebuild: @escaping @Sendable () async throws -> Void) async throws {
        try await task(rebuild).value
    }

    /// Starts `rebuild` in the background unless one is under way; a failed one is tried again when next due.
    public func start(_ rebuild: @escaping @Sendable () async throws -> Void) {
        _ = task(rebuild)
    }

    /// The rebuild under way, or a new one running `rebuild`; the slot is cleared when it ends, however it ends.
    private func task(_ rebuild: @escaping @Sendable () async throws -> Void) -> Task<Void, any Error> {
        underway.withLock { current in
            if let current { return current }
            let started = Task<Void, any Error>.detached(priority: .utility) { [self] in
                defer { underway.withLock { $0 = nil } }
                try await rebuild()
            }
            current = started
            return started
        }
    }
}

/// Work asked for in bursts (a content notification per commit of an import) done by one run at a time: a request
/// while a run is under way asks for one more run after it, however many requests come meanwhile.
public final class CoalescedWork: Sendable {
    private enum State {
        case idle, running, runningAndAsked
    }

    private let state = Mutex(State.idle)
    private let work: @Sendable () async -> Void

    public init(_ work: @escaping @Sendable () async -> Void) {
        self.work = work
    }

    /// Asks for a run; returns at once.
    public func ask() {
        let start = state.withLock { state -> Bool in
            switch state {
            case .idle:
                state = .running
                return true
            case .running, .runningAndAsked:
                state = .runningAndAsked
                return false
            }
        }
        guard start else { return }
        Task.detached(priority: .utility) { [self] in
            while true {
                await work()
                let again = state.withLock { state -> Bool in
                    if case .runningAndAsked = state {
                        state = .running
                        return true
                    }
                    state = .idle
                    return false
                }
                if !again { return }
            }
        }
    }
}

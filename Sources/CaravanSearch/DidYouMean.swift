import Foundation

/// "Did you mean …": spelling suggestions drawn from the words the index actually holds, so a
/// suggestion leads to stories. Pure: the caller fetches the candidate words from the index.
public enum DidYouMean: Sendable {
    /// A slice of the index vocabulary worth fetching for one word: terms `>= lowerBound` and
    /// `< upperBound` (they start with the word's first letter) whose length, in characters, is in
    /// `lengths` (within the edit distance allowed for the word).
    public struct VocabularyWindow: Sendable, Hashable {
        /// The word's first letter, the inclusive lower bound of the terms.
        public let lowerBound: String
        /// The next code point after it, the exclusive upper bound (binary collation).
        public let upperBound: String
        /// The term lengths worth fetching, in code points as SQLite's `length()` counts them.
        public let lengths: ClosedRange<Int>
    }

    /// The greatest edit distance at which a correction is believable: 1 for words of up to four
    /// letters, 2 for longer ones.
    public static func maximumDistance(forLength length: Int) -> Int {
        length <= 4 ? 1 : 2
    }

    /// The vocabulary to fetch for a word (folded first), or nil for an empty word.
    public static func window(for word: String) -> VocabularyWindow? {
        let folded = Array(FTS5Tokenizer.fold(word).unicodeScalars)
        guard let first = folded.first else {
            return nil
        }
        var next = first.value + 1
        if (0xD800...0xDFFF).contains(next) {
            next = 0xE000
        }
        let distance = maximumDistance(forLength: folded.count)
        return VocabularyWindow(
            lowerBound: String(first),
            upperBound: Unicode.Scalar(next).map(String.init) ?? String(first) + "\u{10FFFF}",
            lengths: max(1, folded.count - distance)...(folded.count + distance))
    }

    /// The windows for every word of a query worth correcting, one per first letter (lengths
    /// merged), so the caller needs few vocabulary look-ups.
    public static func windows(for query: ParsedQuery) -> [VocabularyWindow] {
        var merged: [VocabularyWindow] = []
        for window in query.suggestableWords.compactMap(window(for:)) {
            if let index = merged.firstIndex(where: { $0.lowerBound == window.lowerBound }) {
                let shortest = min(merged[index].lengths.lowerBound, window.lengths.lowerBound)
                let longest = max(merged[index].lengths.upperBound, window.lengths.upperBound)
                merged[index] = VocabularyWindow(
                    lowerBound: window.lowerBound, upperBound: window.upperBound, lengths: shortest...longest)
            } else {
                merged.append(window)
            }
        }
        return merged
    }

    /// Words one edit from `word` at its first letter, which the first-letter vocabulary window cannot hold: a
    /// letter lost (`lection` → `election`), a letter changed (`wlection`), a letter added (`eelection`) or the
    /// first two swapped (`lection` ← `elcetion`); letters from the alphabet of the word's second letter.
    public static func firstLetterEdits(of word: String) -> [String] {
        let folded = Array(FTS5Tokenizer.fold(word).unicodeScalars)
        guard folded.count >= 2 else { return [] }
        let rest = String(String.UnicodeScalarView(folded.dropFirst()))
        let cyrillic = (0x0400...0x04FF).contains(folded[1].value)
        let letters = cyrillic
            ? Array("абвгдеёжзийклмнопрстуфхцчшщъыьэюя".unicodeScalars) : Array("abcdefghijklmnopqrstuvwxyz".unicodeScalars)
        var edits: [String] = [rest]
        for letter in letters {
            edits.append(String(letter) + String(String.UnicodeScalarView(folded)))
            if letter != folded[0] { edits.append(String(letter) + rest) }
        }
        var swapped = folded
        swapped.swapAt(0, 1)
        edits.append(String(String.UnicodeScalarView(swapped)))
        return edits
    }

    /// Optimal string alignment distance (Damerau–Levenshtein where each substring is edited
    /// once) between two strings, counted in Unicode code points.
    public static func distance(_ a: String, _ b: String) -> Int {
        distance(Array(a.unicodeScalars), Array(b.unicodeScalars), atMost: Int.max)!
    }

    /// The same distance, or nil as soon as it is certain to exceed `bound`, which keeps a scan
    /// over thousands of vocabulary terms cheap.
    public static func distance(_ a: String, _ b: String, atMost bound: Int) -> Int? {
        distance(Array(a.unicodeScalars), Array(b.unicodeScalars), atMost: bound)
    }

    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], atMost bound: Int) -> Int? {
        guard bound >= 0, abs(a.count - b.count) <= bound else {
            return nil
        }
        if a.isEmpty || b.isEmpty {
            return max(a.count, b.count)
        }
        // Three rows of the table: two rows back (for transpositions), the last one, this one.
        var beforeLast = [Int](repeating: 0, count: b.count + 1)
        var last = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(last[j] + 1, current[j - 1] + 1, last[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, beforeLast[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            // No row's minimum is smaller than the one before it, so past the bound we can stop.
            if rowMinimum > bound {
                return nil
            }
            (beforeLast, last, current) = (last, current, beforeLast)
        }
        return last[b.count] <= bound ? last[b.count] : nil
    }

    /// The best correction for one word among index terms, or nil when the word is itself in the
    /// index or nothing is close enough: the smallest distance wins, then the most documents, then
    /// alphabetical order so the answer never depends on the order the terms arrived in. Both sides
    /// are compared folded as the index folds them (the index's own terms already are).
    public static func suggest(for word: String, candidates: [(term: String, documentFrequency: Int)]) -> String? {
        suggest(for: word, among: candidates.map(FoldedCandidate.init))
    }

    /// An index term prepared once for comparison with many words.
    private struct FoldedCandidate {
        let term: String
        let folded: [Unicode.Scalar]
        let documentFrequency: Int

        init(_ candidate: (term: String, documentFrequency: Int)) {
            term = candidate.term
            folded = Array(FTS5Tokenizer.fold(candidate.term).unicodeScalars)
            documentFrequency = candidate.documentFrequency
        }
    }

    /// A word the archive holds is corrected only when it is this rare (in at most this many stories)…
    public static let rareWord = 5
    /// …and a word one edit away is in at least this many times as many stories: `prises` (2) → `prices` (3,000).
    public static let commonerBy = 20

    private static func suggest(for word: String, among candidates: [FoldedCandidate]) -> String? {
        let target = Array(FTS5Tokenizer.fold(word).unicodeScalars)
        guard !target.isEmpty else {
            return nil
        }
        var known: Int?
        for candidate in candidates where candidate.folded == target {
            known = max(known ?? 0, candidate.documentFrequency)
        }
        // Short words have too many neighbours for a rare one to be taken for a typo (`tea` and `team`).
        if let known, known > rareWord || target.count < 5 { return nil }
        // A word the archive holds is a word someone wrote: only a much commoner word one edit away replaces it.
        let bound = known == nil ? maximumDistance(forLength: target.count) : 1
        var best: (candidate: FoldedCandidate, distance: Int)?
        for candidate in candidates {
            if let known, candidate.documentFrequency < commonerBy * max(known, 1) { continue }
            guard let distance = distance(target, candidate.folded, atMost: bound), distance > 0 else {
                continue
            }
            if let current = best, !isBetter(candidate, distance, than: current.candidate, current.distance) {
                continue
            }
            best = (candidate, distance)
        }
        return best?.candidate.term
    }

    private static func isBetter(
        _ a: FoldedCandidate, _ aDistance: Int, than b: FoldedCandidate, _ bDistance: Int
    ) -> Bool {
        if aDistance != bDistance {
            return aDistance < bDistance
        }
        if a.documentFrequency != b.documentFrequency {
            return a.documentFrequency > b.documentFrequency
        }
        return a.term < b.term
    }

    /// The whole query with only its misspelt words corrected ("electon results" → "election
    /// results"), written as normalised query text ready to link to; nil when nothing changed.
    /// `candidates` is every term fetched for the query's `suggestableWords`, in one list.
    public static func suggestion(
        for query: ParsedQuery, candidates: [(term: String, documentFrequency: Int)]
    ) -> String? {
        let prepared = candidates.map(FoldedCandidate.init)
        var changed = false
        func correct(_ term: ParsedQuery.Term) -> ParsedQuery.Term {
            guard !term.isPrefix else {
                return term
            }
            var replacements: [Int: String] = [:]
            for (index, token) in term.tokens.enumerated() where isSuggestable(token) {
                if let fix = suggest(for: token, among: prepared) {
                    replacements[index] = matchingCase(of: token, fix)
                }
            }
            guard !replacements.isEmpty else {
                return term
            }
            changed = true
            return replacing(replacements, in: term)
        }
        let clauses = query.clauses.map { clause -> ParsedQuery.Clause in
            switch clause {
            case .term(let term): .term(correct(term))
            case .anyOf(let terms): .anyOf(terms.map(correct))
            }
        }
        guard changed else {
            return nil
        }
        return ParsedQuery(clauses: clauses, exclusions: query.exclusions).normalizedText
    }

    /// Whether a token is a word we may correct: three letters or more and nothing but letters
    /// (numbers, codes like `U` or `t` of `don't`, and mixed tokens are left alone).
    static func isSuggestable(_ token: String) -> Bool {
        token.unicodeScalars.count >= 3 && token.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .otherLetter: true
            default: FTS5Tokenizer.isFoldedDiacritic(scalar)
            }
        }
    }

    /// Keeps the reader's capitals: `Electon` → `Election`, `NATOO` → `NATO`.
    private static func matchingCase(of original: String, _ word: String) -> String {
        let letters = original.filter(\.isLetter)
        if letters.count > 1, letters.allSatisfy(\.isUppercase) {
            return word.uppercased()
        }
        if let first = original.first, first.isUppercase, let head = word.first {
            return head.uppercased() + word.dropFirst()
        }
        return word
    }

    /// The term with some tokens replaced, in both its tokens and its spelling (whose punctuation
    /// between tokens is kept: `electon-day` → `election-day`).
    private static func replacing(_ replacements: [Int: String], in term: ParsedQuery.Term) -> ParsedQuery.Term {
        let scalars = Array(term.spelling.unicodeScalars)
        let ranges = FTS5Tokenizer.tokenRanges(in: scalars[...])
        var spelling = String.UnicodeScalarView()
        var position = 0
        for (index, range) in ranges.enumerated() {
            spelling.append(contentsOf: scalars[position..<range.lowerBound])
            if let replacement = replacements[index] {
                spelling.append(contentsOf: replacement.unicodeScalars)
            } else {
                spelling.append(contentsOf: scalars[range])
            }
            position = range.upperBound
        }
        spelling.append(contentsOf: scalars[position...])
        var tokens = term.tokens
        for (index, replacement) in replacements where tokens.indices.contains(index) {
            tokens[index] = replacement
        }
        return ParsedQuery.Term(
            tokens: tokens, spelling: String(spelling), isQuoted: term.isQuoted, isPrefix: term.isPrefix)
    }
}

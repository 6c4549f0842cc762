import Foundation

/// A search query as the reader meant it: the syntax tree that both the FTS5 compiler and the
/// "Results for …" and "Did you mean" texts are built from, so they can never disagree.
public struct ParsedQuery: Sendable, Hashable, CustomStringConvertible {
    /// One thing to look for: a word, a phrase or a prefix, already split into FTS5 tokens.
    public struct Term: Sendable, Hashable {
        /// The FTS5 tokens, spelt as typed (never empty); FTS5 folds case and diacritics itself.
        public let tokens: [String]
        /// The reader's spelling from the first token to the last (`U.S`, `covid-19`), for display.
        public let spelling: String
        /// Whether the reader put it in quotes, so it is shown back in quotes.
        public let isQuoted: Bool
        /// Whether it ended in `*`: the last token matches any word it begins.
        public let isPrefix: Bool

        /// Builds a term; `spelling` defaults to the tokens joined by spaces.
        public init(tokens: [String], spelling: String? = nil, isQuoted: Bool = false, isPrefix: Bool = false) {
            self.tokens = tokens
            self.spelling = spelling ?? tokens.joined(separator: " ")
            self.isQuoted = isQuoted
            self.isPrefix = isPrefix
        }

        /// A phrase of several tokens must match them next to each other, in order.
        public var isPhrase: Bool { tokens.count > 1 }

        /// The tokens as FTS5 indexes them (lowercase, no Latin diacritics), for comparisons.
        public var foldedTokens: [String] { tokens.map(FTS5Tokenizer.fold) }
    }

    /// One positive requirement: a term, or a group of alternatives the reader joined with `OR`.
    public enum Clause: Sendable, Hashable {
        /// A single term.
        case term(Term)
        /// At least two alternatives, any of which satisfies the clause.
        case anyOf([Term])

        /// The terms in the clause, in the order typed.
        public var terms: [Term] {
            switch self {
            case .term(let term): [term]
            case .anyOf(let terms): terms
            }
        }
    }

    /// What the reader wants, in order; all of them in `matchAll`, any of them in `matchAny`.
    public let clauses: [Clause]
    /// What the reader excluded with `-`; applied in both compilations.
    public let exclusions: [Term]
    /// Whether the text was cut to the length or term limits, so the page can say so.
    public let isTruncated: Bool
    /// Whether the reader typed nothing but white space, which deserves no "no results" message.
    public let isBlank: Bool

    /// Builds a query from parts; most callers want `ParsedQuery.parse(_:)` instead.
    public init(clauses: [Clause], exclusions: [Term] = [], isTruncated: Bool = false, isBlank: Bool = false) {
        self.clauses = clauses
        self.exclusions = exclusions
        self.isTruncated = isTruncated
        self.isBlank = isBlank
    }

    /// Whether there is nothing FTS5 can run: no positive term at all.
    public var isEmpty: Bool { clauses.isEmpty }

    /// Why the query cannot be run, or nil when it can; the page turns this into a polite message.
    public var emptyReason: EmptyQueryReason? {
        guard clauses.isEmpty else {
            return nil
        }
        if !exclusions.isEmpty {
            return .onlyExclusions
        }
        return isBlank ? .blank : .nothingSearchable
    }

    /// The positive words, folded as the index stores them and without repeats, so the page can
    /// say which words matched and the suggester knows what to look up.
    public var positiveWords: [String] {
        var seen: Set<String> = []
        var words: [String] = []
        for clause in clauses {
            for term in clause.terms {
                for word in term.foldedTokens where seen.insert(word).inserted {
                    words.append(word)
                }
            }
        }
        return words
    }

    /// The positive words worth a spelling suggestion: whole words (not prefixes) of at least three
    /// letters and nothing but letters, folded as the index stores them, without repeats.
    public var suggestableWords: [String] {
        var seen: Set<String> = []
        var words: [String] = []
        for clause in clauses {
            for term in clause.terms where !term.isPrefix {
                for token in term.tokens where DidYouMean.isSuggestable(token) {
                    let word = FTS5Tokenizer.fold(token)
                    if seen.insert(word).inserted {
                        words.append(word)
                    }
                }
            }
        }
        return words
    }

    /// The query written back in canonical form, for "Results for …" and as a suggestion's text:
    /// single spaces, straight quotes, one `*`, `OR` groups, then the exclusions. Parsing it again
    /// gives the same search.
    public var normalizedText: String {
        var parts: [String] = []
        for clause in clauses {
            parts.append(clause.terms.map(Self.render).joined(separator: " OR "))
        }
        for term in exclusions {
            parts.append("-" + Self.render(term))
        }
        return parts.joined(separator: " ")
    }

    /// The canonical text, so a query prints as the reader would type it.
    public var description: String { normalizedText }

    private static func render(_ term: Term) -> String {
        let star = term.isPrefix ? "*" : ""
        // An unquoted spelling that reads as the operator must be quoted to stay a word.
        if term.isQuoted || term.spelling == "OR" {
            return "\"" + term.spelling + "\"" + star
        }
        return term.spelling + star
    }
}

/// Why a query has nothing FTS5 can run, so the page can answer politely instead of failing.
public enum EmptyQueryReason: String, Sendable, Hashable, CaseIterable {
    /// Nothing was typed (or only white space): show the search form, no message.
    case blank
    /// Text was typed, but no word in it: only punctuation, symbols or old emoji.
    case nothingSearchable
    /// Only exclusions (`-word`): FTS5 cannot search for "everything except".
    case onlyExclusions
}

extension ParsedQuery {
    /// The query with each one-word prefix also matching the words written with it: the index holds stems, and
    /// `electi*` begins no stem of "election" ("elect"), so `wordsBeginning` (the archive's words as written, most
    /// frequent first) supplies them and each joins the prefix's clause as an alternative. The prefix itself stays,
    /// so a short prefix still matches every stem it begins.
    public func expandingPrefixes(_ wordsBeginning: (String) throws -> [String]) rethrows -> ParsedQuery {
        func expanded(_ term: Term) throws -> [Term] {
            guard term.isPrefix, term.tokens.count == 1 else { return [term] }
            let words = try wordsBeginning(FTS5Tokenizer.fold(term.tokens[0]))
            return [term] + words.map { Term(tokens: [$0]) }
        }
        var changed = false
        let newClauses = try clauses.map { clause -> Clause in
            let terms = try clause.terms.flatMap(expanded)
            if terms.count == clause.terms.count { return clause }
            changed = true
            return .anyOf(terms)
        }
        let newExclusions = try exclusions.flatMap(expanded)
        guard changed || newExclusions.count != exclusions.count else { return self }
        return ParsedQuery(clauses: newClauses, exclusions: newExclusions, isTruncated: isTruncated, isBlank: isBlank)
    }
}

import Foundation

extension ParsedQuery {
    /// The most code points of a query we read, so a pasted article cannot make a huge expression.
    public static let maximumLength = 1024
    /// The most distinct terms (words, phrases, prefixes and exclusions) a query keeps.
    public static let maximumTerms = 32
    /// The most tokens one phrase keeps, so one quoted paragraph cannot dominate the search.
    public static let maximumTokensPerTerm = 32
    /// The shortest stem a `*` applies to; `a*` would make FTS5 read a large part of the index.
    public static let minimumPrefixLength = 2

    /// Parses whatever a person typed into a query; never fails, at worst the query is empty.
    ///
    /// The language: words; `"exact phrases"` (also “…”, „…“, «…»), unbalanced quotes running to
    /// the end; `-word` and `-"a phrase"` to exclude; `OR` (uppercase) between two terms;
    /// `prefix*`. Anything else, FTS5 operators included, is just text split into tokens the way
    /// FTS5 splits it, so `U.S.` and `covid-19` become the phrases "U S" and "covid 19".
    public static func parse(_ text: String) -> ParsedQuery {
        var parser = QueryParser(text)
        return parser.parse()
    }
}

/// Reads query text into a `ParsedQuery`: first into items (terms and `OR`s), then into clauses.
struct QueryParser {
    /// A lexical item: a term (maybe excluded), or the `OR` operator.
    private enum Item {
        case term(ParsedQuery.Term, excluded: Bool)
        case or
    }

    private let scalars: [Unicode.Scalar]
    private let isBlank: Bool
    private var isTruncated: Bool

    init(_ text: String) {
        // Runs of white space become one space, so padding cannot push words past the limit, and a
        // runaway paste is cut before normalising, so the work stays bounded.
        var head = String.UnicodeScalarView()
        var count = 0
        var afterSpace = true
        var isCutShort = false
        for scalar in text.unicodeScalars where scalar.value != 0xAD {  // Soft hyphens join word halves.
            if Self.isSpace(scalar) {
                if !afterSpace {
                    head.append(" ")
                    count += 1
                    afterSpace = true
                }
                continue
            }
            guard count < ParsedQuery.maximumLength * 4 else {
                isCutShort = true
                break
            }
            head.append(scalar)
            count += 1
            afterSpace = false
        }
        var cleaned = Array(String(head).precomposedStringWithCanonicalMapping.unicodeScalars)
        if cleaned.last == " " {
            cleaned.removeLast()
        }
        isBlank = cleaned.isEmpty
        isTruncated = isCutShort || cleaned.count > ParsedQuery.maximumLength
        scalars = Self.cut(cleaned, to: ParsedQuery.maximumLength)
    }

    mutating func parse() -> ParsedQuery {
        build(from: lex())
    }

    // MARK: - Characters

    /// White space, controls and invisible spaces separate items.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .spaceSeparator, .lineSeparator, .paragraphSeparator:
            return true
        default:
            return scalar.properties.isWhitespace || [0x200B, 0x2060, 0xFEFF].contains(scalar.value)
        }
    }

    /// Straight and typographic double quotes (including the « » used in Russian) open and close phrases.
    static func isQuote(_ scalar: Unicode.Scalar) -> Bool {
        [0x22, 0xAB, 0xBB, 0x201C, 0x201D, 0x201E, 0x201F, 0xFF02].contains(scalar.value)
    }

    /// Cuts at the last space before the limit, so no word is left half-typed (unless it is the only one).
    private static func cut(_ scalars: [Unicode.Scalar], to limit: Int) -> [Unicode.Scalar] {
        guard scalars.count > limit else {
            return scalars
        }
        var end = limit
        if scalars[limit] != " ", let space = scalars[..<limit].lastIndex(of: " ") {
            end = space
        }
        return Array(scalars[..<end])
    }

    // MARK: - Items

    private mutating func lex() -> [Item] {
        var items: [Item] = []
        var index = 0
        while index < scalars.count {
            if scalars[index] == " " {
                index += 1
                continue
            }
            var excluded = false
            if scalars[index] == "-", index + 1 < scalars.count, scalars[index + 1] != " " {
                excluded = true
                index += 1
            }
            if Self.isQuote(scalars[index]) {
                let (term, next) = readPhrase(openingAt: index)
                if let term {
                    items.append(.term(term, excluded: excluded))
                }
                index = next
            } else {
                var end = index
                while end < scalars.count, scalars[end] != " ", !Self.isQuote(scalars[end]) {
                    end += 1
                }
                if !excluded, end - index == 2, scalars[index] == "O", scalars[index + 1] == "R" {
                    items.append(.or)
                } else if let term = readWord(index..<end) {
                    items.append(.term(term, excluded: excluded))
                }
                index = end
            }
        }
        return items
    }

    /// Reads a quoted phrase (to the closing quote or the end) and a `*` right after it.
    private mutating func readPhrase(openingAt open: Int) -> (ParsedQuery.Term?, next: Int) {
        var close = open + 1
        while close < scalars.count, !Self.isQuote(scalars[close]) {
            close += 1
        }
        var next = min(close + 1, scalars.count)
        var hasStar = false
        while next < scalars.count, scalars[next] == "*" {
            hasStar = true
            next += 1
        }
        let term = makeTerm(from: open + 1..<close, hasStar: hasStar, isQuoted: true)
        return (term, next)
    }

    /// Reads an unquoted word; trailing `*`s make it a prefix when they follow a letter or digit.
    private mutating func readWord(_ range: Range<Int>) -> ParsedQuery.Term? {
        var bodyEnd = range.upperBound
        while bodyEnd > range.lowerBound, scalars[bodyEnd - 1] == "*" {
            bodyEnd -= 1
        }
        return makeTerm(from: range.lowerBound..<bodyEnd, hasStar: bodyEnd < range.upperBound, isQuoted: false)
    }

    private mutating func makeTerm(from range: Range<Int>, hasStar: Bool, isQuoted: Bool) -> ParsedQuery.Term? {
        var ranges = FTS5Tokenizer.tokenRanges(in: scalars[range])
        guard !ranges.isEmpty else {
            return nil
        }
        if ranges.count > ParsedQuery.maximumTokensPerTerm {
            ranges = Array(ranges.prefix(ParsedQuery.maximumTokensPerTerm))
            isTruncated = true
        }
        let first = ranges[0].lowerBound
        let last = ranges[ranges.count - 1]
        let isPrefix = hasStar && last.upperBound == range.upperBound
            && last.count >= ParsedQuery.minimumPrefixLength
        return ParsedQuery.Term(
            tokens: ranges.map { FTS5Tokenizer.string(from: scalars[$0]) },
            spelling: FTS5Tokenizer.string(from: scalars[first..<last.upperBound]),
            isQuoted: isQuoted,
            isPrefix: isPrefix)
    }

    // MARK: - Clauses

    /// Groups `a OR b` (an `OR` between two positive terms; any other `OR` is dropped), applies the
    /// limit on distinct terms, then removes repeated terms and clauses.
    private mutating func build(from items: [Item]) -> ParsedQuery {
        var groups: [[ParsedQuery.Term]] = []
        var exclusions: [ParsedQuery.Term] = []
        var admitted: Set<TermKey> = []
        var lastWasPositive = false
        var joinNext = false

        func admit(_ key: TermKey) -> Bool {
            if admitted.contains(key) {
                return true
            }
            guard admitted.count < ParsedQuery.maximumTerms else {
                isTruncated = true
                return false
            }
            admitted.insert(key)
            return true
        }

        for item in items {
            switch item {
            case .or:
                joinNext = lastWasPositive
            case .term(let term, excluded: true):
                lastWasPositive = false
                joinNext = false
                let key = TermKey(term, excluded: true)
                if !admitted.contains(key), admit(key) {
                    exclusions.append(term)
                }
            case .term(let term, excluded: false):
                let joins = joinNext && !groups.isEmpty
                joinNext = false
                lastWasPositive = admit(TermKey(term, excluded: false))
                guard lastWasPositive else {
                    continue
                }
                if joins {
                    groups[groups.count - 1].append(term)
                } else {
                    groups.append([term])
                }
            }
        }

        var clauses: [ParsedQuery.Clause] = []
        var seenClauses: Set<Set<TermKey>> = []
        for group in groups {
            var seen: Set<TermKey> = []
            let terms = group.filter { seen.insert(TermKey($0, excluded: false)).inserted }
            guard seenClauses.insert(seen).inserted else {
                continue
            }
            clauses.append(terms.count == 1 ? .term(terms[0]) : .anyOf(terms))
        }
        return ParsedQuery(clauses: clauses, exclusions: exclusions, isTruncated: isTruncated, isBlank: isBlank)
    }
}

/// Two terms FTS5 would treat the same (same folded tokens, same prefix flag, same side) are one.
private struct TermKey: Hashable {
    let tokens: [String]
    let isPrefix: Bool
    let isExcluded: Bool

    init(_ term: ParsedQuery.Term, excluded: Bool) {
        tokens = term.foldedTokens
        isPrefix = term.isPrefix
        isExcluded = excluded
    }
}

import Testing

import CaravanTestSupport
@testable import CaravanSearch

// Short builders so each table row reads like the query it describes.

/// An unquoted one-token word.
func word(_ token: String, prefix: Bool = false) -> ParsedQuery.Term {
    ParsedQuery.Term(tokens: [token], spelling: token, isQuoted: false, isPrefix: prefix)
}

/// An unquoted word FTS5 splits into several tokens (`U.S.`, `covid-19`).
func compound(_ spelling: String, _ tokens: String..., prefix: Bool = false) -> ParsedQuery.Term {
    ParsedQuery.Term(tokens: tokens, spelling: spelling, isQuoted: false, isPrefix: prefix)
}

/// A quoted phrase; its spelling defaults to the tokens joined by spaces.
func phrase(_ tokens: String..., spelling: String? = nil, prefix: Bool = false) -> ParsedQuery.Term {
    ParsedQuery.Term(tokens: tokens, spelling: spelling, isQuoted: true, isPrefix: prefix)
}

/// A query of positive clauses and exclusions.
func query(_ clauses: ParsedQuery.Clause..., excluding exclusions: [ParsedQuery.Term] = [], truncated: Bool = false)
    -> ParsedQuery
{
    ParsedQuery(clauses: clauses, exclusions: exclusions, isTruncated: truncated)
}

/// Random query text from an alphabet rich in the query language's and FTS5's special characters.
func randomQuery(using generator: inout SeededGenerator) -> String {
    let pieces: [String] = [
        " ", " ", " ", "\"", "-", "*", "OR", " OR ", "AND", "NOT", "NEAR", "(", ")", ":", "^", "{", "}", "+",
        "'", ".", ",", "a", "b", "tea", "Silk", "road", "19", "x", "é", "e\u{301}", "\u{301}", "Қ", "ёлка",
        "😀", "🤣", "🏽", "\u{E000}", "\u{E001}", "\u{0}", "\t", "\u{200B}", "\u{AD}", "«", "»", "“", "„",
        "\u{FFFD}", String(Unicode.Scalar(0xFDD0)!), "_", "%", ";", "\\", "中", "٣",
    ]
    let count = Int.random(in: 0...24, using: &generator)
    return (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
}

/// A hostile query as a test argument, shown shortened so a 10 kB query does not flood the log.
struct Hostile: CustomTestStringConvertible, Sendable {
    let text: String

    var testDescription: String {
        let count = text.unicodeScalars.count
        let head = String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))).debugDescription
        return count > 40 ? "\(head)… (\(count) code points)" : head
    }

    /// Every query of `HostileQueries.all`.
    static let all = HostileQueries.all.map(Hostile.init)
}

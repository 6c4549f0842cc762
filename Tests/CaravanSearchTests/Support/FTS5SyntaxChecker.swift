@testable import CaravanSearch

/// An independent recogniser for the part of FTS5's query grammar the compiler may emit, so the
/// tests can prove every expression is well formed without linking SQLite:
///
///     expression := or
///     or         := and (" OR " and)*
///     and        := not (" AND " not)*
///     not        := primary (" NOT " primary)*
///     primary    := "(" or ")" | string ["*"]
///     string     := '"' (any character but '"' | '""')* '"'
///
/// and, for each string, that its content is a non-empty list of FTS5 tokens separated by single
/// spaces (so FTS5 can never read it as an empty phrase, which would match nothing).
struct FTS5SyntaxChecker {
    /// What the checker found in one expression.
    struct Report: Equatable {
        /// The contents of the strings, unescaped, in order.
        var strings: [String] = []
        /// How many strings carried a `*`.
        var prefixes = 0
        /// The contents of the strings on the right of a `NOT`.
        var negated: [String] = []
    }

    struct Failure: Error, CustomStringConvertible {
        let message: String
        let offset: Int
        var description: String { "\(message) at offset \(offset)" }
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var report = Report()
    private var negationDepth = 0

    /// Checks an expression; throws a `Failure` saying where it goes wrong.
    static func check(_ expression: String) throws -> Report {
        var checker = FTS5SyntaxChecker(scalars: Array(expression.unicodeScalars))
        try checker.parseOr()
        guard checker.position == checker.scalars.count else {
            throw checker.failure("trailing text")
        }
        return checker.report
    }

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    private func failure(_ message: String) -> Failure {
        Failure(message: message, offset: position)
    }

    private mutating func consume(_ literal: String) -> Bool {
        let wanted = Array(literal.unicodeScalars)
        guard scalars.count - position >= wanted.count,
            Array(scalars[position..<position + wanted.count]) == wanted
        else {
            return false
        }
        position += wanted.count
        return true
    }

    private mutating func parseOr() throws {
        try parseAnd()
        while consume(" OR ") {
            try parseAnd()
        }
    }

    private mutating func parseAnd() throws {
        try parseNot()
        while consume(" AND ") {
            try parseNot()
        }
    }

    private mutating func parseNot() throws {
        try parsePrimary()
        while consume(" NOT ") {
            negationDepth += 1
            try parsePrimary()
            negationDepth -= 1
        }
    }

    private mutating func parsePrimary() throws {
        if consume("(") {
            try parseOr()
            guard consume(")") else {
                throw failure("expected )")
            }
            return
        }
        guard consume("\"") else {
            throw failure("expected a string or (")
        }
        var content = String.UnicodeScalarView()
        while true {
            guard position < scalars.count else {
                throw failure("unterminated string")
            }
            let scalar = scalars[position]
            position += 1
            if scalar == "\"" {
                if position < scalars.count, scalars[position] == "\"" {
                    content.append("\"")
                    position += 1
                    continue
                }
                break
            }
            content.append(scalar)
        }
        let text = String(content)
        let tokens = FTS5Tokenizer.tokens(in: text)
        guard !tokens.isEmpty else {
            throw failure("string FTS5 reads as empty: \(text.debugDescription)")
        }
        guard tokens.joined(separator: " ") == text else {
            throw failure("string is not tokens separated by single spaces: \(text.debugDescription)")
        }
        report.strings.append(text)
        if negationDepth > 0 {
            report.negated.append(text)
        }
        if consume("*") {
            report.prefixes += 1
        }
    }
}

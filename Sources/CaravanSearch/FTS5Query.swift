import Foundation

/// A parsed query compiled into FTS5 `MATCH` expressions; user text only ever appears inside
/// double-quoted FTS5 strings, so FTS5 operators and column filters typed by a reader are just words.
///
/// The forms emitted (terms are `"tok tok"` or `"tok"*`, parentheses only around groups of two or more):
/// - a term: `"silk road"`, `"elect"*`
/// - `matchAll`: the clauses joined by ` AND `, an `OR` group written `("a" OR "b")`
/// - `matchAny`: every positive term joined by ` OR `
/// - exclusions: `<positives> NOT <term>` or `(<positives>) NOT ("x" OR "y")`
public enum FTS5Query: Sendable, Hashable {
    /// Runnable: `all` matches stories with every clause (rank them first), `any` stories with at
    /// least one (use it as the result set), both without the excluded terms.
    case match(all: String, any: String)
    /// Nothing to run; the reason says what to tell the reader.
    case empty(EmptyQueryReason)

    /// Compiles a parsed query.
    public init(_ query: ParsedQuery) {
        guard !query.clauses.isEmpty else {
            self = .empty(query.emptyReason ?? .nothingSearchable)
            return
        }
        let all = Self.join(query.clauses.map(Self.clause), with: "AND")
        let any = Self.join(query.clauses.flatMap(\.terms).map(Self.term), with: "OR")
        let excluded = query.exclusions.map(Self.term)
        self = .match(all: Self.excluding(excluded, from: all), any: Self.excluding(excluded, from: any))
    }

    /// Parses and compiles in one step, for callers that only need the expressions.
    public init(parsing text: String) {
        self.init(ParsedQuery.parse(text))
    }

    /// The expression requiring every clause, or nil when there is nothing to run.
    public var matchAll: String? {
        if case .match(let all, _) = self { all } else { nil }
    }

    /// The expression requiring any clause, or nil when there is nothing to run.
    public var matchAny: String? {
        if case .match(_, let any) = self { any } else { nil }
    }

    /// Why there is nothing to run, or nil when there is.
    public var emptyReason: EmptyQueryReason? {
        if case .empty(let reason) = self { reason } else { nil }
    }

    // MARK: - Emitting

    /// One FTS5 string per term: its tokens separated by spaces, any `"` doubled (tokens never hold
    /// one, but the rule is what keeps the string closed), and `*` outside the quotes for a prefix.
    static func term(_ term: ParsedQuery.Term) -> String {
        let body = term.tokens.joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"")
        return "\"" + body + "\"" + (term.isPrefix ? "*" : "")
    }

    private static func clause(_ clause: ParsedQuery.Clause) -> Group {
        switch clause {
        case .term(let single):
            Group(text: term(single), isCompound: false)
        case .anyOf(let terms):
            join(terms.map(term), with: "OR")
        }
    }

    /// An expression and whether it needs parentheses to be an operand.
    private struct Group {
        let text: String
        let isCompound: Bool

        var operand: String { isCompound ? "(" + text + ")" : text }
    }

    private static func join(_ parts: [String], with op: String) -> Group {
        join(parts.map { Group(text: $0, isCompound: false) }, with: op)
    }

    private static func join(_ parts: [Group], with op: String) -> Group {
        if parts.count == 1 {
            return parts[0]
        }
        return Group(text: parts.map(\.operand).joined(separator: " " + op + " "), isCompound: true)
    }

    private static func excluding(_ excluded: [String], from positive: Group) -> String {
        guard !excluded.isEmpty else {
            return positive.text
        }
        return positive.operand + " NOT " + join(excluded, with: "OR").operand
    }
}

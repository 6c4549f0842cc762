import Foundation

/// A parsed query compiled into PostgreSQL `tsquery` expressions. No reader text is ever part of the SQL: each
/// term's spelling (with `<` made a space, see `parsedText`) is a bound parameter that PostgreSQL itself turns into
/// lexemes with `phraseto_tsquery`, the way it turned the stories into lexemes, and the expressions only join those
/// with `&&`, `||` and `!!`. So `&`, `|`, `!`, `:*` or quotes typed by a reader are just text to parse.
///
/// The forms emitted, with `$n` the parameters in `parameters` order (parentheses only around compounds):
/// - a term: `phraseto_tsquery('english', $1)`; a prefix term marks its last lexeme as a prefix:
///   `regexp_replace(phraseto_tsquery('english', $1)::text, '''$', ''':*')::tsquery`
/// - `matchAll`: the clauses joined by ` && `, an `OR` group written `(a || b)`
/// - `matchAny`: every positive term joined by ` || `
/// - exclusions: `<positives> && !!<term>` or `(<positives>) && !!(x || y)`
public enum TSQuery: Sendable, Hashable {
    /// Runnable: `all` matches stories with every clause (rank them first), `any` stories with at least
    /// one (use it as the result set), both without the excluded terms. `parameters` are the texts to
    /// bind to `$first…`, in order; both expressions refer to the same ones.
    case match(all: String, any: String, parameters: [String])
    /// Nothing to run; the reason says what to tell the reader.
    case empty(EmptyQueryReason)

    /// A text search configuration name, checked to be a plain identifier because it is written into the SQL.
    public struct Configuration: Sendable, Hashable {
        public let name: String

        /// A configuration such as `english` or `public.caravan_english`; traps on anything else, since
        /// the name is a constant of the program, never input.
        public init(_ name: String) {
            precondition(Self.isIdentifier(name), "not a text search configuration name: \(name)")
            self.name = name
        }

        /// PostgreSQL's own English configuration (stemming, stop words).
        public static let english = Configuration("english")

        /// Lowercase ASCII identifiers, optionally schema-qualified: nothing that could close the SQL string.
        static func isIdentifier(_ name: String) -> Bool {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            return (1...2).contains(parts.count) && parts.allSatisfy { part in
                guard let first = part.unicodeScalars.first, first == "_" || ("a"..."z").contains(first) else {
                    return false
                }
                return part.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
            }
        }
    }

    /// Compiles a parsed query; its parameters are numbered from `firstParameter`, so the expressions can
    /// sit in a statement that binds other values before them.
    public init(_ query: ParsedQuery, configuration: Configuration = .english, firstParameter: Int = 1) {
        guard !query.clauses.isEmpty else {
            self = .empty(query.emptyReason ?? .nothingSearchable)
            return
        }
        precondition(firstParameter >= 1, "PostgreSQL numbers parameters from $1")
        var emitter = Emitter(configuration: configuration, firstParameter: firstParameter)
        let all = Group.join(query.clauses.map { emitter.clause($0) }, with: "&&")
        let any = Group.join(query.clauses.flatMap(\.terms).map { emitter.term($0) }, with: "||")
        let excluded = query.exclusions.map { emitter.term($0) }
        self = .match(
            all: Self.excluding(excluded, from: all), any: Self.excluding(excluded, from: any),
            parameters: emitter.parameters)
    }

    /// Parses and compiles in one step, for callers that only need the expressions.
    public init(parsing text: String, configuration: Configuration = .english, firstParameter: Int = 1) {
        self.init(ParsedQuery.parse(text), configuration: configuration, firstParameter: firstParameter)
    }

    /// The expression requiring every clause, or nil when there is nothing to run.
    public var matchAll: String? {
        if case .match(let all, _, _) = self { all } else { nil }
    }

    /// The expression requiring any clause, or nil when there is nothing to run.
    public var matchAny: String? {
        if case .match(_, let any, _) = self { any } else { nil }
    }

    /// The texts to bind, in order; empty when there is nothing to run.
    public var parameters: [String] {
        if case .match(_, _, let parameters) = self { parameters } else { [] }
    }

    /// Why there is nothing to run, or nil when there is.
    public var emptyReason: EmptyQueryReason? {
        if case .empty(let reason) = self { reason } else { nil }
    }

    /// Text as PostgreSQL's parser must see it: `<` as a space, because the parser reads `<…>` as an HTML tag and
    /// skips it (and after `<script>` everything up to `</script>`). Stories are indexed the same way.
    public static func parsedText(_ text: String) -> String {
        text.replacingOccurrences(of: "<", with: " ")
    }

    // MARK: - Emitting

    /// Hands out one parameter per distinct spelling, so a term in both expressions is bound once.
    private struct Emitter {
        let configuration: Configuration
        let firstParameter: Int
        var parameters: [String] = []
        var numbers: [String: Int] = [:]

        init(configuration: Configuration, firstParameter: Int) {
            self.configuration = configuration
            self.firstParameter = firstParameter
        }

        /// A term's spelling, not its FTS5 tokens: PostgreSQL's parser must split `covid-19` or `U.S.` the
        /// way it split the stories, or the lexemes would not meet.
        mutating func term(_ term: ParsedQuery.Term) -> Group {
            let text = TSQuery.parsedText(term.spelling)
            let number: Int
            if let known = numbers[text] {
                number = known
            } else {
                number = firstParameter + parameters.count
                numbers[text] = number
                parameters.append(text)
            }
            let phrase = "phraseto_tsquery('\(configuration.name)', $\(number))"
            guard term.isPrefix else {
                return Group(text: phrase, isCompound: false)
            }
            // PostgreSQL prints every lexeme quoted; `:*` after the last closing quote makes that lexeme a prefix.
            return Group(text: "regexp_replace(\(phrase)::text, '''$', ''':*')::tsquery", isCompound: false)
        }

        mutating func clause(_ clause: ParsedQuery.Clause) -> Group {
            switch clause {
            case .term(let single):
                term(single)
            case .anyOf(let terms):
                Group.join(terms.map { term($0) }, with: "||")
            }
        }
    }

    /// An expression and whether it needs parentheses to be an operand (SQL gives `&&`, `||` and `!!` one precedence).
    private struct Group {
        let text: String
        let isCompound: Bool

        var operand: String { isCompound ? "(" + text + ")" : text }

        static func join(_ parts: [Group], with op: String) -> Group {
            if parts.count == 1 {
                return parts[0]
            }
            return Group(text: parts.map(\.operand).joined(separator: " " + op + " "), isCompound: true)
        }
    }

    private static func excluding(_ excluded: [Group], from positive: Group) -> String {
        guard !excluded.isEmpty else {
            return positive.text
        }
        return positive.operand + " && !!" + Group.join(excluded, with: "||").operand
    }
}

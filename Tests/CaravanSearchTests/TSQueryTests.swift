import Testing

import CaravanTestSupport
@testable import CaravanSearch

@Suite("Compiling queries into PostgreSQL tsquery expressions")
struct TSQueryTests {
    /// `p(n)` and `prefix(n)` spell the emitted terms, so each row reads as the expression's shape.
    static func p(_ number: Int) -> String { "phraseto_tsquery('english', $\(number))" }
    static func prefix(_ number: Int) -> String {
        "regexp_replace(phraseto_tsquery('english', $\(number))::text, '''$', ''':*')::tsquery"
    }

    static let cases: [(input: String, all: String, any: String, parameters: [String])] = [
        ("tea", p(1), p(1), ["tea"]),
        ("tea coffee", "\(p(1)) && \(p(2))", "\(p(1)) || \(p(2))", ["tea", "coffee"]),
        ("tea OR coffee", "\(p(1)) || \(p(2))", "\(p(1)) || \(p(2))", ["tea", "coffee"]),
        ("tea OR coffee milk", "(\(p(1)) || \(p(2))) && \(p(3))", "\(p(1)) || \(p(2)) || \(p(3))", ["tea", "coffee", "milk"]),
        ("\"silk road\" -china", "\(p(1)) && !!\(p(2))", "\(p(1)) && !!\(p(2))", ["silk road", "china"]),
        (
            "tea OR coffee -milk", "(\(p(1)) || \(p(2))) && !!\(p(3))", "(\(p(1)) || \(p(2))) && !!\(p(3))",
            ["tea", "coffee", "milk"]
        ),
        (
            "elect* results -\"exit poll\" -fraud",
            "(\(prefix(1)) && \(p(2))) && !!(\(p(3)) || \(p(4)))", "(\(prefix(1)) || \(p(2))) && !!(\(p(3)) || \(p(4)))",
            ["elect", "results", "exit poll", "fraud"]
        ),
        ("\"silk ro\"*", prefix(1), prefix(1), ["silk ro"]),
        // The spelling is bound, not the FTS5 tokens: PostgreSQL parses `covid-19` into `covid` and `-19`.
        ("U.S. covid-19", "\(p(1)) && \(p(2))", "\(p(1)) || \(p(2))", ["U.S", "covid-19"]),
        // tsquery operators typed by a reader are text inside a parameter.
        ("a&b|!c:*", p(1), p(1), ["a&b|!c"]),
        ("\"x & !y\" 'z':*", "\(p(1)) && \(p(2))", "\(p(1)) || \(p(2))", ["x & !y", "z"]),
        ("'); DROP TABLE article; --", "\(p(1)) && \(p(2)) && \(p(3))", "\(p(1)) || \(p(2)) || \(p(3))", ["DROP", "TABLE", "article"]),
        ("«Шёлковый путь» Ўзбекистон", "\(p(1)) && \(p(2))", "\(p(1)) || \(p(2))", ["Шёлковый путь", "Ўзбекистон"]),
        // PostgreSQL would read `<script>` as a tag and skip what follows; stories are indexed with `<` as a space.
        ("x<script>y \"<b>bold\"", "\(p(1)) && \(p(2))", "\(p(1)) || \(p(2))", ["x script>y", "b>bold"]),
        // One spelling, one parameter, even when it is both a word and a prefix.
        ("elect elect*", "\(p(1)) && \(prefix(1))", "\(p(1)) || \(prefix(1))", ["elect"]),
        ("\"OR\" -NOT", "\(p(1)) && !!\(p(2))", "\(p(1)) && !!\(p(2))", ["OR", "NOT"]),
    ]

    @Test("table of inputs, both expressions and their parameters", arguments: cases)
    func compiles(input: String, all: String, any: String, parameters: [String]) {
        let compiled = TSQuery(parsing: input)
        #expect(compiled.matchAll == all)
        #expect(compiled.matchAny == any)
        #expect(compiled.parameters == parameters)
        #expect(compiled.emptyReason == nil)
    }

    @Test(
        "queries with nothing to run say why, as FTS5Query does",
        arguments: [
            ("", EmptyQueryReason.blank), ("   \n", .blank), ("\u{0}", .blank), ("***", .nothingSearchable),
            ("- -", .nothingSearchable), ("😀", .nothingSearchable), ("\"\"", .nothingSearchable),
            ("-tea", .onlyExclusions), ("-tea -\"green tea\"", .onlyExclusions), ("OR -tea", .onlyExclusions),
        ])
    func empty(input: String, reason: EmptyQueryReason) {
        let compiled = TSQuery(parsing: input)
        #expect(compiled == .empty(reason))
        #expect(compiled.matchAll == nil && compiled.matchAny == nil)
        #expect(compiled.parameters.isEmpty)
    }

    @Test("parameters can start after the statement's own, and the configuration is the caller's")
    func numberingAndConfiguration() {
        let compiled = TSQuery(
            parsing: "tea -milk", configuration: TSQuery.Configuration("caravan_english"), firstParameter: 4)
        #expect(compiled.matchAll == "phraseto_tsquery('caravan_english', $4) && !!phraseto_tsquery('caravan_english', $5)")
        #expect(compiled.parameters == ["tea", "milk"])
    }

    @Test(
        "only plain identifiers are accepted as configuration names",
        arguments: [
            ("english", true), ("caravan_english", true), ("public.caravan_english", true), ("_x1", true),
            ("", false), ("English", false), ("1english", false), ("eng lish", false), ("english'", false),
            ("a.b.c", false), (".english", false), ("english.", false), ("ёnglish", false), ("english--", false),
        ])
    func configurationNames(name: String, isValid: Bool) {
        #expect(TSQuery.Configuration.isIdentifier(name) == isValid)
    }

    @Test("every hostile query compiles to safe SQL or a clean empty result", arguments: Hostile.all)
    func hostile(input: Hostile) throws {
        try checkInvariants(of: input.text)
    }

    @Test("random text from a hostile alphabet always compiles to safe SQL or a clean empty result")
    func fuzz() throws {
        var generator = SeededGenerator(seed: 0x7505_0E7A)
        for _ in 0..<5_000 {
            try checkInvariants(of: randomQuery(using: &generator))
        }
    }

    @Test(
        "the checker itself rejects what the compiler must never emit",
        arguments: [
            "to_tsquery('english', 'a & b')", "phraseto_tsquery('english', 'tea')", "phraseto_tsquery('english', $1) &&",
            "(phraseto_tsquery('english', $1)", "phraseto_tsquery('english', $1) & phraseto_tsquery('english', $2)",
            "phraseto_tsquery('english', $1); DROP TABLE article", "phraseto_tsquery('english', $1) || 'a:*'::tsquery",
            "phraseto_tsquery('english', $0)", "phraseto_tsquery(english, $1)",
        ])
    func checkerRejects(sql: String) {
        #expect(throws: TSQuerySyntaxChecker.Failure.self) { try TSQuerySyntaxChecker.check(sql) }
    }

    /// What must hold for any text at all.
    private func checkInvariants(of input: String) throws {
        let parsed = ParsedQuery.parse(input)
        let terms = parsed.clauses.flatMap(\.terms) + parsed.exclusions
        switch TSQuery(parsed) {
        case .empty(let reason):
            #expect(parsed.clauses.isEmpty)
            #expect(reason == parsed.emptyReason)
        case .match(let all, let any, let parameters):
            // Only our own ASCII reaches the SQL; the reader's text is all in the parameters.
            #expect(all.unicodeScalars.allSatisfy(\.isASCII) && any.unicodeScalars.allSatisfy(\.isASCII))
            let allReport = try TSQuerySyntaxChecker.check(all)
            let anyReport = try TSQuerySyntaxChecker.check(any)
            // Every term appears once in each expression, bound to its own spelling, with its prefix flag.
            let expected = terms.map {
                TSQuerySyntaxChecker.Operand(spelling: TSQuery.parsedText($0.spelling), isPrefix: $0.isPrefix)
            }
            #expect(allReport.operands(parameters) == expected, "\(input.debugDescription)")
            #expect(anyReport.operands(parameters) == expected, "\(input.debugDescription)")
            // Exactly the exclusions sit under `!!`, in both expressions.
            let excluded = parsed.exclusions.map { TSQuery.parsedText($0.spelling) }
            #expect(allReport.negated.map { parameters[$0 - 1] } == excluded, "\(input.debugDescription)")
            #expect(anyReport.negated.map { parameters[$0 - 1] } == excluded, "\(input.debugDescription)")
            // Each parameter is used, holds no NUL (PostgreSQL text cannot), and is bound once.
            #expect(Set(allReport.numbers) == Set(1...parameters.count))
            #expect(parameters.allSatisfy { !$0.isEmpty && !$0.unicodeScalars.contains("\u{0}") })
            #expect(Set(parameters).count == parameters.count)
        }
    }
}

/// Reads an emitted expression back with a grammar that admits nothing else:
/// `expr := operand ((&& | ||) operand)*`, `operand := term | !!operand | (expr)`, where a term is one of the
/// two exact forms around a `$n`. What it reports lets the tests compare the expression with the query.
enum TSQuerySyntaxChecker {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    struct Operand: Hashable {
        let spelling: String
        let isPrefix: Bool
    }

    struct Report {
        /// The terms in order: parameter number and prefix flag.
        var terms: [(number: Int, isPrefix: Bool)] = []
        /// The parameter numbers of the terms under a `!!`.
        var negated: [Int] = []

        var numbers: [Int] { terms.map(\.number) }

        func operands(_ parameters: [String]) -> [Operand] {
            terms.map { Operand(spelling: parameters.indices.contains($0.number - 1) ? parameters[$0.number - 1] : "?", isPrefix: $0.isPrefix) }
        }
    }

    private static let phraseHead = "phraseto_tsquery('english', $"
    private static let prefixHead = "regexp_replace(phraseto_tsquery('english', $"
    private static let prefixTail = ")::text, '''$', ''':*')::tsquery"

    static func check(_ sql: String) throws -> Report {
        var reader = Reader(text: Substring(sql))
        var report = Report()
        try reader.expression(into: &report, negated: false)
        guard reader.text.isEmpty else {
            throw Failure(description: "trailing text: \(reader.text)")
        }
        return report
    }

    private struct Reader {
        var text: Substring

        mutating func take(_ literal: String) -> Bool {
            guard text.hasPrefix(literal) else {
                return false
            }
            text = text.dropFirst(literal.count)
            return true
        }

        mutating func expression(into report: inout Report, negated: Bool) throws {
            try operand(into: &report, negated: negated)
            while take(" && ") || take(" || ") {
                try operand(into: &report, negated: negated)
            }
        }

        mutating func operand(into report: inout Report, negated: Bool) throws {
            if take("!!") {
                try operand(into: &report, negated: true)
            } else if take("(") {
                try expression(into: &report, negated: negated)
                guard take(")") else {
                    throw Failure(description: "unclosed parenthesis before: \(text)")
                }
            } else if take(TSQuerySyntaxChecker.prefixHead) {
                let number = try parameter()
                guard take(TSQuerySyntaxChecker.prefixTail) else {
                    throw Failure(description: "malformed prefix term before: \(text)")
                }
                record(number, isPrefix: true, negated: negated, in: &report)
            } else if take(TSQuerySyntaxChecker.phraseHead) {
                let number = try parameter()
                guard take(")") else {
                    throw Failure(description: "malformed term before: \(text)")
                }
                record(number, isPrefix: false, negated: negated, in: &report)
            } else {
                throw Failure(description: "unexpected text: \(text)")
            }
        }

        mutating func parameter() throws -> Int {
            let digits = text.prefix { $0.isASCII && $0.isNumber }
            text = text.dropFirst(digits.count)
            guard let number = Int(digits), number >= 1 else {
                throw Failure(description: "not a parameter number: \(digits)")
            }
            return number
        }

        func record(_ number: Int, isPrefix: Bool, negated: Bool, in report: inout Report) {
            report.terms.append((number, isPrefix))
            if negated {
                report.negated.append(number)
            }
        }
    }
}

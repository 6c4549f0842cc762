import Testing

import CaravanTestSupport
@testable import CaravanSearch

@Suite("Compiling queries into FTS5 expressions")
struct FTS5QueryTests {
    static let cases: [(input: String, all: String, any: String)] = [
        ("tea", #""tea""#, #""tea""#),
        ("tea coffee", #""tea" AND "coffee""#, #""tea" OR "coffee""#),
        ("tea coffee milk", #""tea" AND "coffee" AND "milk""#, #""tea" OR "coffee" OR "milk""#),
        ("tea OR coffee", #""tea" OR "coffee""#, #""tea" OR "coffee""#),
        ("tea OR coffee milk", #"("tea" OR "coffee") AND "milk""#, #""tea" OR "coffee" OR "milk""#),
        ("\"silk road\" -china", #""silk road" NOT "china""#, #""silk road" NOT "china""#),
        ("tea OR coffee -milk", #"("tea" OR "coffee") NOT "milk""#, #"("tea" OR "coffee") NOT "milk""#),
        (
            "elect* results -\"exit poll\" -fraud",
            #"("elect"* AND "results") NOT ("exit poll" OR "fraud")"#,
            #"("elect"* OR "results") NOT ("exit poll" OR "fraud")"#
        ),
        ("\"silk ro\"*", #""silk ro"*"#, #""silk ro"*"#),
        ("U.S. covid-19 don't", #""U S" AND "covid 19" AND "don t""#, #""U S" OR "covid 19" OR "don t""#),
        ("NEAR(a b) title:x ^y", #""NEAR a" AND "b" AND "title x" AND "y""#, #""NEAR a" OR "b" OR "title x" OR "y""#),
        ("\"a\" AND \"b\"", #""a" AND "AND" AND "b""#, #""a" OR "AND" OR "b""#),
        ("«Шёлковый путь» Ўзбекистон", #""Шёлковый путь" AND "Ўзбекистон""#, #""Шёлковый путь" OR "Ўзбекистон""#),
        ("'; DROP TABLE articles; --", #""DROP" AND "TABLE" AND "articles""#, #""DROP" OR "TABLE" OR "articles""#),
        ("\"OR\" -NOT", #""OR" NOT "NOT""#, #""OR" NOT "NOT""#),
    ]

    @Test("table of inputs and both expressions", arguments: cases)
    func compiles(input: String, all: String, any: String) {
        let compiled = FTS5Query(parsing: input)
        #expect(compiled.matchAll == all)
        #expect(compiled.matchAny == any)
        #expect(compiled.emptyReason == nil)
    }

    @Test(
        "queries with nothing to run say why",
        arguments: [
            ("", EmptyQueryReason.blank), ("   \n", .blank), ("\u{0}", .blank), ("***", .nothingSearchable),
            ("- -", .nothingSearchable), ("😀", .nothingSearchable), ("\"\"", .nothingSearchable),
            ("-tea", .onlyExclusions), ("-tea -\"green tea\"", .onlyExclusions), ("OR -tea", .onlyExclusions),
        ])
    func empty(input: String, reason: EmptyQueryReason) {
        let compiled = FTS5Query(parsing: input)
        #expect(compiled == .empty(reason))
        #expect(compiled.matchAll == nil)
        #expect(compiled.matchAny == nil)
    }

    @Test("a double quote inside a term is doubled, so the string cannot be closed early")
    func quoteDoubling() {
        let term = ParsedQuery.Term(tokens: ["a\"b"])
        #expect(FTS5Query.term(term) == #""a""b""#)
    }

    @Test("every hostile query compiles to valid FTS5 or a clean empty result", arguments: Hostile.all)
    func hostile(input: Hostile) throws {
        try checkInvariants(of: input.text)
    }

    @Test("random text from a hostile alphabet always compiles to valid FTS5 or a clean empty result")
    func fuzz() throws {
        var generator = SeededGenerator(seed: 0xCA7A_5EA7C4)
        for _ in 0..<5_000 {
            try checkInvariants(of: randomQuery(using: &generator))
        }
    }

    @Test("the hostile corpus reaches every kind of outcome")
    func corpusCoverage() {
        let outcomes = HostileQueries.all.map { FTS5Query(parsing: $0) }
        #expect(outcomes.contains { $0.matchAll != nil })
        for reason in EmptyQueryReason.allCases {
            #expect(outcomes.contains { $0.emptyReason == reason })
        }
        #expect(HostileQueries.all.contains { ParsedQuery.parse($0).isTruncated })
    }

    /// What must hold for any text at all.
    private func checkInvariants(of input: String) throws {
        let parsed = ParsedQuery.parse(input)
        let terms = parsed.clauses.flatMap(\.terms) + parsed.exclusions
        #expect(terms.count <= ParsedQuery.maximumTerms, "\(input.debugDescription)")
        #expect(terms.allSatisfy { !$0.tokens.isEmpty && $0.tokens.count <= ParsedQuery.maximumTokensPerTerm })
        #expect(parsed.clauses.allSatisfy { if case .anyOf(let group) = $0 { group.count >= 2 } else { true } })

        switch FTS5Query(parsed) {
        case .empty(let reason):
            #expect(parsed.clauses.isEmpty)
            #expect(reason == parsed.emptyReason)
        case .match(let all, let any):
            let allReport = try FTS5SyntaxChecker.check(all)
            let anyReport = try FTS5SyntaxChecker.check(any)
            // Every term appears exactly once in each expression, spelt as its tokens.
            let expected = terms.map { $0.tokens.joined(separator: " ") }
            #expect(allReport.strings == expected, "\(input.debugDescription)")
            #expect(anyReport.strings == expected, "\(input.debugDescription)")
            #expect(allReport.prefixes == terms.filter(\.isPrefix).count)
            #expect(all.unicodeScalars.count <= 4 * ParsedQuery.maximumLength + 16 * ParsedQuery.maximumTerms)
            // Exactly the exclusions sit on the right of a NOT, in both expressions.
            let excluded = parsed.exclusions.map { $0.tokens.joined(separator: " ") }
            #expect(allReport.negated == excluded, "\(input.debugDescription)")
            #expect(anyReport.negated == excluded, "\(input.debugDescription)")
        }

        // The normalised text is a fixed point: reading it again gives the same search.
        let again = ParsedQuery.parse(parsed.normalizedText)
        #expect(FTS5Query(again) == FTS5Query(parsed) || parsed.clauses.isEmpty, "\(input.debugDescription)")
        #expect(again.normalizedText == parsed.normalizedText, "\(input.debugDescription)")
    }
}

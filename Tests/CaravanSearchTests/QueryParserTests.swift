import Testing

@testable import CaravanSearch

@Suite("Parsing the query language into a syntax tree")
struct QueryParserTests {
    static let cases: [(String, ParsedQuery)] = [
        // Words
        ("tea", query(.term(word("tea")))),
        ("  tea   coffee ", query(.term(word("tea")), .term(word("coffee")))),
        ("Tea", query(.term(word("Tea")))),
        ("Қазақстан Ўзбекистон", query(.term(word("Қазақстан")), .term(word("Ўзбекистон")))),
        ("tea\tcoffee\u{0}milk", query(.term(word("tea")), .term(word("coffee")), .term(word("milk")))),
        ("tea\u{200B}coffee", query(.term(word("tea")), .term(word("coffee")))),
        ("elec\u{AD}tion", query(.term(word("election")))),
        ("cafe\u{301}", query(.term(word("café")))),
        // Phrases, straight, typographic, unbalanced
        ("\"silk road\"", query(.term(phrase("silk", "road")))),
        ("“silk road”", query(.term(phrase("silk", "road")))),
        ("«Шёлковый путь»", query(.term(phrase("Шёлковый", "путь")))),
        ("„Bishkek“", query(.term(phrase("Bishkek")))),
        ("\"silk   road", query(.term(phrase("silk", "road")))),
        ("\"U.S. elections\"", query(.term(phrase("U", "S", "elections", spelling: "U.S. elections")))),
        ("a\"b c\"d", query(.term(word("a")), .term(phrase("b", "c")), .term(word("d")))),
        ("\"\" \"...\"", query()),
        // Exclusions
        ("-china", query(excluding: [word("china")])),
        ("tea -china", query(.term(word("tea")), excluding: [word("china")])),
        ("tea -\"green tea\"", query(.term(word("tea")), excluding: [phrase("green", "tea")])),
        ("tea - china", query(.term(word("tea")), .term(word("china")))),
        ("tea --china", query(.term(word("tea")), excluding: [word("china")])),
        ("tea -china -China", query(.term(word("tea")), excluding: [word("china")])),
        ("-\"\" -", query()),
        // OR groups
        ("tea OR coffee", query(.anyOf([word("tea"), word("coffee")]))),
        ("tea OR coffee OR milk", query(.anyOf([word("tea"), word("coffee"), word("milk")]))),
        ("tea OR coffee milk", query(.anyOf([word("tea"), word("coffee")]), .term(word("milk")))),
        ("milk tea OR coffee", query(.term(word("milk")), .anyOf([word("tea"), word("coffee")]))),
        ("\"green tea\" OR coffee*", query(.anyOf([phrase("green", "tea"), word("coffee", prefix: true)]))),
        ("OR tea", query(.term(word("tea")))),
        ("tea OR", query(.term(word("tea")))),
        ("tea OR OR coffee", query(.anyOf([word("tea"), word("coffee")]))),
        ("tea OR -coffee", query(.term(word("tea")), excluding: [word("coffee")])),
        ("-tea OR coffee", query(.term(word("coffee")), excluding: [word("tea")])),
        ("tea or coffee", query(.term(word("tea")), .term(word("or")), .term(word("coffee")))),
        ("\"OR\"", query(.term(phrase("OR")))),
        ("tea OR tea", query(.term(word("tea")))),
        ("tea OR coffee coffee OR tea", query(.anyOf([word("tea"), word("coffee")]))),
        // Prefixes
        ("elect*", query(.term(word("elect", prefix: true)))),
        ("elect***", query(.term(word("elect", prefix: true)))),
        ("e*", query(.term(word("e")))),
        ("a.*", query(.term(word("a")))),
        ("*elect", query(.term(word("elect")))),
        ("\"silk ro\"*", query(.term(phrase("silk", "ro", prefix: true)))),
        ("covid-1*", query(.term(compound("covid-1", "covid", "1")))),
        ("covid-19*", query(.term(compound("covid-19", "covid", "19", prefix: true)))),
        // Words FTS5 splits become phrases; FTS5 operators are just text
        ("U.S.", query(.term(compound("U.S", "U", "S")))),
        ("covid-19", query(.term(compound("covid-19", "covid", "19")))),
        ("don't", query(.term(compound("don't", "don", "t")))),
        ("x*y", query(.term(compound("x*y", "x", "y")))),
        ("NEAR(a b)", query(.term(compound("NEAR(a", "NEAR", "a")), .term(word("b")))),
        ("title:kazakhstan", query(.term(compound("title:kazakhstan", "title", "kazakhstan")))),
        ("^tea +coffee {title}", query(.term(word("tea")), .term(word("coffee")), .term(word("title")))),
        ("tea AND coffee", query(.term(word("tea")), .term(word("AND")), .term(word("coffee")))),
        ("a NOT b", query(.term(word("a")), .term(word("NOT")), .term(word("b")))),
        // Nothing searchable
        ("***", query()),
        ("!!! ... ---", query()),
        ("😀 🇰🇿", query()),
        ("🤣", query(.term(word("🤣")))),
    ]

    @Test("table of inputs and syntax trees", arguments: cases)
    func parses(input: String, expected: ParsedQuery) {
        let parsed = ParsedQuery.parse(input)
        #expect(parsed.clauses == expected.clauses)
        #expect(parsed.exclusions == expected.exclusions)
        #expect(parsed.isTruncated == false)
    }

    @Test(
        "blank input is told apart from input with nothing searchable",
        arguments: [("", true), ("   ", true), ("\t\r\n\u{0}\u{2028}", true), ("***", false), ("-", false)])
    func blankness(input: String, isBlank: Bool) {
        #expect(ParsedQuery.parse(input).isBlank == isBlank)
    }

    @Test("the number of distinct terms is capped and the cut is reported")
    func termLimit() {
        let text = (1...40).map { "w\($0)" }.joined(separator: " ")
        let parsed = ParsedQuery.parse(text)
        #expect(parsed.clauses.count == ParsedQuery.maximumTerms)
        #expect(parsed.clauses.last == .term(word("w32")))
        #expect(parsed.isTruncated)
    }

    @Test("repeating a word does not use up the term limit")
    func repeatsAreFree() {
        let parsed = ParsedQuery.parse(String(repeating: "tea ", count: 200) + "coffee")
        #expect(parsed.clauses == [.term(word("tea")), .term(word("coffee"))])
        #expect(parsed.isTruncated == false)
    }

    @Test("a long query is cut at a space, not in the middle of a word")
    func lengthLimit() {
        let text = String(repeating: "abcdefghi ", count: 200)  // 2,000 characters
        let parsed = ParsedQuery.parse(text)
        #expect(parsed.isTruncated)
        #expect(parsed.clauses == [.term(word("abcdefghi"))])
        let oneWord = ParsedQuery.parse(String(repeating: "a", count: 10_000))
        #expect(oneWord.clauses == [.term(word(String(repeating: "a", count: ParsedQuery.maximumLength)))])
        #expect(oneWord.isTruncated)
    }

    @Test("white space does not count towards the length limit")
    func paddingIsFree() {
        let parsed = ParsedQuery.parse(String(repeating: " \t\n", count: 5_000) + "tea")
        #expect(parsed.clauses == [.term(word("tea"))])
        #expect(parsed.isTruncated == false)
    }

    @Test("a phrase keeps at most the token limit")
    func tokenLimit() {
        let parsed = ParsedQuery.parse("\"" + (1...40).map { "p\($0)" }.joined(separator: " ") + "\"")
        #expect(parsed.clauses.first?.terms.first?.tokens.count == ParsedQuery.maximumTokensPerTerm)
        #expect(parsed.clauses.first?.terms.first?.spelling.hasSuffix("p32") == true)
        #expect(parsed.isTruncated)
    }
}

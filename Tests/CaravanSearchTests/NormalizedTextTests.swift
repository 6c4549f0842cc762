import Testing

@testable import CaravanSearch

@Suite("Writing a parsed query back for people")
struct NormalizedTextTests {
    static let renderCases: [(String, String)] = [
        ("tea", "tea"),
        ("  Tea    coffee  ", "Tea coffee"),
        ("tea OR coffee   milk", "tea OR coffee milk"),
        ("“silk   road”", "\"silk road\""),
        ("«Шёлковый путь", "\"Шёлковый путь\""),
        ("-china tea", "tea -china"),
        ("-\"green tea\" tea", "tea -\"green tea\""),
        ("elect***", "elect*"),
        ("\"silk ro\"*", "\"silk ro\"*"),
        ("U.S. covid-19 (don't)", "U.S covid-19 don't"),
        ("NEAR(a b)", "NEAR(a b"),
        ("OR. tea", "\"OR\" tea"),
        ("tea OR", "tea"),
        ("tea tea TEA", "tea"),
        ("***", ""),
        ("-", ""),
    ]

    @Test("table of inputs and normalised text", arguments: renderCases)
    func renders(input: String, expected: String) {
        #expect(ParsedQuery.parse(input).normalizedText == expected)
        #expect(ParsedQuery.parse(input).description == expected)
    }

    static let wordCases: [(String, positive: [String], suggestable: [String])] = [
        ("Electon results", ["electon", "results"], ["electon", "results"]),
        ("tea OR Coffee -milk", ["tea", "coffee"], ["tea", "coffee"]),
        ("\"Silk Road\" silk", ["silk", "road"], ["silk", "road"]),
        ("elect* U.S. covid-19 don't", ["elect", "u", "s", "covid", "19", "don", "t"], ["covid", "don"]),
        ("Café Қазақстан", ["cafe", "қазақстан"], ["cafe", "қазақстан"]),
        ("-tea", [], []),
        ("x2 ab abc", ["x2", "ab", "abc"], ["abc"]),
    ]

    @Test("positive words are folded as the index folds them", arguments: wordCases)
    func words(input: String, positive: [String], suggestable: [String]) {
        let parsed = ParsedQuery.parse(input)
        #expect(parsed.positiveWords == positive)
        #expect(parsed.suggestableWords == suggestable)
    }
}

import Testing

@testable import CaravanSearch

@Suite("Did you mean: edit distance and suggestions")
struct DidYouMeanTests {
    static let distanceCases: [(String, String, Int)] = [
        ("", "", 0),
        ("a", "", 1),
        ("", "abc", 3),
        ("tea", "tea", 0),
        ("kitten", "sitting", 3),
        ("ca", "ac", 1),  // one transposition
        ("abc", "ca", 3),  // optimal string alignment: no edit of a transposed pair (true Damerau gives 2)
        ("electon", "election", 1),
        ("teh", "the", 1),
        ("bihskek", "bishkek", 1),
        ("қазақстан", "казахстан", 2),  // Kazakh қ and ақ against Russian к and ах
        ("a😀", "a", 1),  // counted in code points
        ("e\u{301}", "é", 2),  // a decomposed letter is two code points
        ("flaw", "lawn", 2),
        ("abcdef", "badcfe", 3),
    ]

    @Test("table of edit distances", arguments: distanceCases)
    func distance(a: String, b: String, expected: Int) {
        #expect(DidYouMean.distance(a, b) == expected)
        #expect(DidYouMean.distance(b, a) == expected)
        #expect(DidYouMean.distance(a, b, atMost: expected) == expected)
        #expect(DidYouMean.distance(a, b, atMost: expected + 1) == expected)
        if expected > 0 {
            #expect(DidYouMean.distance(a, b, atMost: expected - 1) == nil)
        }
    }

    @Test("the bound stops early, including on length alone")
    func bound() {
        #expect(DidYouMean.distance("abc", "abcdefgh", atMost: 2) == nil)
        #expect(DidYouMean.distance("kitten", "sitting", atMost: 2) == nil)
        #expect(DidYouMean.distance("a", "b", atMost: -1) == nil)
        #expect(DidYouMean.distance(String(repeating: "a", count: 500), String(repeating: "b", count: 500), atMost: 2) == nil)
    }

    typealias Candidates = [(term: String, documentFrequency: Int)]

    static let suggestCases: [(String, Candidates, String?)] = [
        ("electon", [("election", 120), ("elect", 300), ("electron", 15)], "election"),
        ("electon", [("electron", 15), ("election", 120)], "election"),  // order does not matter
        ("tea", [("tea", 5), ("team", 900)], nil),  // a word the index knows is not "corrected"
        ("Tea", [("tea", 5), ("team", 900)], nil),
        ("café", [("cafe", 3), ("cave", 90)], nil),  // folded like the index: café is cafe
        ("tae", [("tea", 10), ("toe", 10)], "tea"),  // equal distance and frequency: alphabetical
        ("tae", [("tea", 10), ("toe", 11)], "toe"),  // equal distance: more documents wins
        ("bihskek", [("bishkek", 40), ("bishkeks", 900)], "bishkek"),  // smaller distance beats frequency
        ("astna", [("astana", 50)], "astana"),
        ("clod", [("cloud", 9)], "cloud"),
        ("abcd", [("badc", 9)], nil),  // two edits are too many for four letters
        ("tashkant", [("tashkent", 9)], "tashkent"),
        ("tshkn", [("tashkent", 9)], nil),  // three edits are too many for anyone
        ("казахтан", [("казахстан", 30), ("казах", 80)], "казахстан"),
        ("qwerty", [("astana", 50)], nil),
        ("", [("a", 1)], nil),
        ("word", [], nil),
    ]

    @Test("table of words, index terms and the suggestion", arguments: suggestCases)
    func suggest(word: String, candidates: Candidates, expected: String?) {
        #expect(DidYouMean.suggest(for: word, candidates: candidates) == expected)
    }

    static let vocabulary: Candidates = [
        ("election", 120), ("elections", 80), ("results", 200), ("result", 150), ("voting", 40),
        ("fraud", 12), ("day", 500), ("nato", 60), ("silk", 30), ("road", 90), ("kazakhstan", 300),
        ("tashkent", 70), ("u", 900), ("s", 900),
    ]

    static let queryCases: [(String, String?)] = [
        ("electon results", "election results"),
        ("Electon results", "Election results"),
        ("electon OR votng -fruad", "election OR voting -fruad"),  // exclusions are left as typed
        ("\"electon resuls\"", "\"election results\""),
        ("electon-day", "election-day"),
        ("elect* resuls", "elect* results"),  // prefixes are left alone
        ("NATOO summit", "NATO summit"),
        ("U.S. electon", "U.S election"),
        ("kazakstan  tashkent", "kazakhstan tashkent"),
        ("election results", nil),
        ("xyzzy", nil),
        ("-electon", nil),
        ("", nil),
    ]

    @Test("table of queries and the rewritten query", arguments: queryCases)
    func suggestion(input: String, expected: String?) {
        let parsed = ParsedQuery.parse(input)
        #expect(DidYouMean.suggestion(for: parsed, candidates: Self.vocabulary) == expected)
        if let expected {
            // A suggestion is itself a query that parses to what it says.
            #expect(ParsedQuery.parse(expected).normalizedText == expected)
        }
    }

    static let windowCases: [(String, lower: String, upper: String, lengths: ClosedRange<Int>)] = [
        ("electon", "e", "f", 5...9),
        ("Tea", "t", "u", 2...4),
        ("ab", "a", "b", 1...3),
        ("Қазақ", "қ", "\u{49C}", 3...7),
        ("Éclat", "e", "f", 3...7),
    ]

    @Test("table of words and the vocabulary to fetch for them", arguments: windowCases)
    func window(word: String, lower: String, upper: String, lengths: ClosedRange<Int>) {
        let window = DidYouMean.window(for: word)
        #expect(window == DidYouMean.VocabularyWindow(lowerBound: lower, upperBound: upper, lengths: lengths))
    }

    @Test("a query's windows are merged by first letter")
    func queryWindows() {
        let windows = DidYouMean.windows(for: ParsedQuery.parse("electon eu results elect* -tax Résultat"))
        #expect(windows == [
            DidYouMean.VocabularyWindow(lowerBound: "e", upperBound: "f", lengths: 5...9),
            DidYouMean.VocabularyWindow(lowerBound: "r", upperBound: "s", lengths: 5...10),
        ])
        #expect(DidYouMean.windows(for: ParsedQuery.parse("-electon")).isEmpty)
    }

    @Test("an empty word has no window")
    func noWindow() {
        #expect(DidYouMean.window(for: "") == nil)
    }

    @Test("every candidate the suggester could pick lies inside the window")
    func windowCoversSuggestions() {
        for (word, candidates, expected) in Self.suggestCases {
            guard let expected, let window = DidYouMean.window(for: word) else {
                continue
            }
            #expect(expected >= window.lowerBound && expected < window.upperBound)
            #expect(window.lengths.contains(expected.unicodeScalars.count))
            _ = candidates
        }
    }
}

@Suite("Did you mean: first letters and rare words")
struct DidYouMeanWordFormTests {
    @Test(arguments: [
        ("lection", "election"), ("plection", "election"), ("eelection", "election"), ("lection", "election"),
        ("ыборы", "выборы"), ("рыборы", "выборы"),
    ])
    func aTypoInTheFirstLetterIsAmongTheEdits(typed: String, meant: String) {
        #expect(DidYouMean.firstLetterEdits(of: typed).contains(meant))
        #expect(DidYouMean.suggest(for: typed, candidates: [(meant, 40)]) == meant)
    }

    @Test(arguments: [
        // (word, its stories, candidate, its stories, suggested?)
        ("prises", 2, "prices", 3000, true),
        ("prises", 2, "prices", 39, false),
        ("prises", 6, "prices", 3000, false),
        ("naryn", 3, "karyn", 200, true),
        ("naryn", 3, "maren", 2000, false),
        ("cut", 400, "out", 9000, false),
        ("tead", 1, "team", 9000, false),
    ])
    func aWordTheArchiveHoldsIsCorrectedOnlyWhenRareAndOneEditFromAMuchCommonerOne(
        word: String, frequency: Int, candidate: String, candidateFrequency: Int, suggested: Bool
    ) {
        let result = DidYouMean.suggest(for: word, candidates: [(word, frequency), (candidate, candidateFrequency)])
        #expect((result == candidate) == suggested)
        if !suggested { #expect(result == nil) }
    }
}

import Testing

@testable import CaravanSearch

/// A noncharacter, which Swift does not accept in a string literal.
private func noncharacter(_ value: UInt32) -> String {
    String(Unicode.Scalar(value)!)
}

@Suite("Seeing text the way FTS5's unicode61 tokenizer does")
struct FTS5TokenizerTests {
    static let tokenCases: [(String, [String])] = [
        ("U.S.", ["U", "S"]),
        ("covid-19", ["covid", "19"]),
        ("don't", ["don", "t"]),
        ("a_b", ["a", "b"]),
        ("NEAR(a,b)", ["NEAR", "a", "b"]),
        ("{title}:x^y", ["title", "x", "y"]),
        ("café", ["café"]),
        ("cafe\u{301}", ["cafe\u{301}"]),  // a combining acute continues a token…
        ("\u{301}abc", ["abc"]),  // …but cannot start one
        ("a\u{363}b", ["a", "b"]),  // and other combining marks separate
        ("हिन्दी", ["ह", "न", "द"]),  // FTS5 splits Devanagari at its vowel signs
        ("a😀b", ["a", "b"]),  // emoji up to Unicode 6.1 separate…
        ("a🤣b", ["a🤣b"]),  // …later ones are unknown to FTS5's tables, hence token characters
        ("a\u{E000}b", ["a\u{E000}b"]),  // private use is a token character
        ("x² Ⅻ ½", ["x²", "Ⅻ", "½"]),
        ("a\u{200C}b a\u{AD}b", ["a", "b", "a", "b"]),
        ("Қазақстан, Ўзбекистон!", ["Қазақстан", "Ўзбекистон"]),
        ("中文字 日本語", ["中文字", "日本語"]),
        ("a\(noncharacter(0xFFFE))b a\(noncharacter(0xFDD0))b", ["a", "b", "a\(noncharacter(0xFDD0))b"]),
        ("a\u{19B0}b \u{1885}", ["a", "b", "\u{1885}"]),  // letters and marks as Unicode 6.1 had them
        ("₸100 ₽100", ["100", "₽100"]),  // the tenge sign (6.0) separates, the ruble sign (7.0) does not
        ("", []),
        ("!!! ... ---", []),
    ]

    @Test("table of texts and tokens", arguments: tokenCases)
    func tokens(text: String, expected: [String]) {
        #expect(FTS5Tokenizer.tokens(in: text) == expected)
    }

    static let foldCases: [(String, String)] = [
        ("Tea", "tea"),
        ("TEA", "tea"),
        ("Café", "cafe"),
        ("cafe\u{301}", "cafe"),
        ("ệ", "e"),
        ("Łódź", "łodz"),
        ("ÆØ", "æø"),
        ("Straße", "straße"),
        ("İstanbul", "istanbul"),
        ("Ёлка", "ёлка"),
        ("ЙОД", "йод"),
        ("Қазақстан", "қазақстан"),
        ("Türkmenistan", "turkmenistan"),
        ("Oʻzbekiston", "oʻzbekiston"),  // U+02BB, the Uzbek okina, is a letter to FTS5
        ("🤣", "🤣"),
        ("µ ſ ς", "μ s σ"),  // SQLite case-folds these rather than lowercasing them
        ("ᎠᏴ", "ᎠᏴ"),  // Cherokee lowercase (Unicode 8) is unknown to FTS5
        ("\u{1C90}", "\u{1C90}"),  // Georgian Mtavruli (Unicode 11) is unknown to FTS5, left as is
    ]

    @Test("table of tokens and their folded, indexed form", arguments: foldCases)
    func fold(token: String, expected: String) {
        #expect(FTS5Tokenizer.fold(token) == expected)
    }
}

@testable import CaravanSQLite
import CaravanSearch
@testable import CaravanStorage
import CaravanTestSupport
import Foundation
import Testing

/// The tokenizer PostgreSQL's archive index reads with, held to FTS5's own (`porter unicode61 remove_diacritics 2`),
/// which SQLite's archive index reads with: the same tokens at the same offsets, and the same stems.
@Suite("Porter tokenizer against FTS5's")
struct PorterTokenizerTests {
    /// Roots and endings that walk every step of Porter's algorithm (plurals, -eed/-ed/-ing, -y, the double
    /// suffixes, -ic/-ful/-ness, the long endings, the final -e and -ll).
    static let roots = [
        "caress", "pony", "ti", "cat", "feed", "agree", "plaster", "bled", "motor", "sing", "conflat", "troubl", "siz",
        "hop", "tann", "fall", "hiss", "fizz", "fail", "fil", "happ", "sk", "relat", "condit", "ration", "valen",
        "hesit", "digit", "conform", "radic", "different", "vile", "analog", "vietnam", "predic", "electr", "formal",
        "sensit", "sensibil", "triplic", "hope", "good", "revi", "allow", "infer", "airlin", "gyroscop", "adjust",
        "depend", "adopt", "homolog", "commun", "activ", "angular", "effect", "bowdler", "probat", "rate", "cease",
        "control", "roll", "govern", "elect", "repatri", "price", "bank", "trade", "market", "export", "minist",
    ]
    static let endings = [
        "", "s", "es", "ies", "sses", "ss", "eed", "ed", "ing", "ingly", "edly", "y", "ational", "tional", "enci",
        "anci", "izer", "abli", "alli", "entli", "eli", "ousli", "ization", "ation", "ator", "alism", "iveness",
        "fulness", "ousness", "aliti", "iviti", "biliti", "icate", "ative", "alize", "iciti", "ical", "ful", "ness",
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate",
        "iti", "ous", "ive", "ize", "e", "ll", "ee", "ery", "ments", "ations", "izers", "nesses",
    ]

    static var texts: [String] {
        let words = roots.flatMap { root in endings.map { root + $0 } }
        return [words.joined(separator: " "), words.map { $0.uppercased() }.joined(separator: ", ")]
            + ArchiveIndexEquivalenceTests.vocabulary + HostileQueries.all + [
                "Café naïve Öskemen Türkmenbaşy — «Ташкент», Алматы; 2024-03-08 at 19:30, e-mail ok@example.kz",
                "It's the bank's 3.5% rate: U.S.A. dollars/tenge… 'quoted' \"doubled\" (brackets) [1] #tag @name",
                "x\u{301}y ẞ straße Ǆemal ĳssel ﬁnance Ⅻ ½ ① 東京 한국 ﻿ zero\u{200B}width",
            ]
    }

    /// Where the two stem apart: Porter's later "-logi" rule, which Snowball's Porter lacks, and `ß`.
    static let knownDifferences = ["analogy", "analogies", "homology", "homologies", "straße"]

    @Test func cutsFoldsAndStemsAsFTS5Does() throws {
        let porter = try PorterTokenizer()
        let database = try SQLiteDatabase.inMemory()
        try database.writer.read { db in
            let fts5 = try SearchTokenizer(db)
            for word in Self.knownDifferences {
                #expect(try porter.terms(of: word, as: .document) != fts5.terms(of: word, as: .document), "\(word)")
            }
            let texts = Self.texts.map { text in
                Self.knownDifferences.reduce(text) { $0.replacingOccurrences(of: $1, with: "", options: .caseInsensitive) }
            }
            for text in texts {
                for use in [TokenUse.document, .query, .prefix] {
                    #expect(try porter.terms(of: text, as: use) == fts5.terms(of: text, as: use), "\(use): \(text)")
                }
                let wanted = WantedTerms(try fts5.terms(of: text).prefix(5).map { ArchiveIndex.Phrase(tokens: [$0]) })
                #expect(try porter.markableTokens(of: text, wanted: wanted) == fts5.markableTokens(of: text, wanted: wanted), "\(text)")
                for count in [0, 1, 3, 1_000] {
                    #expect(try porter.tokens(of: text, through: count) == fts5.tokens(of: text, through: count), "\(text)")
                }
            }
        }
    }

    @Test(arguments: [
        ("Prices rose", ["price", "rose"]),
        ("GOVERNMENTS governing", ["govern", "govern"]),
        ("Öskemen café", ["oskemen", "cafe"]),
        ("Алматы, Ташкент", ["алматы", "ташкент"]),
        ("", []),
        ("— … ,", []),
        ("U.S. it's", ["u", "s", "it", "s"]),
    ])
    func terms(_ text: String, _ expected: [String]) throws {
        #expect(try PorterTokenizer().terms(of: text, as: .document) == expected)
    }

    @Test func offsetsAreUTF8Bytes() throws {
        // "Öskemen" takes 8 bytes, the dash 3, and a space each.
        let tokens = try PorterTokenizer().tokens(of: "Öskemen — café", through: 5)
        #expect(tokens.map { [$0.start, $0.end] } == [[0, 8], [13, 18]])
    }
}

import Foundation

/// Queries a person (or a bot) can type that break naive search code: FTS5 syntax, unbalanced
/// quotes, SQL, controls, emoji, scripts of the region, and very long input. Shared by the tests of the query
/// parser, of every search index (FTS5, the archive index, PostgreSQL) and of the search page.
public enum HostileQueries: Sendable {
    /// Every hostile query; each must parse to a runnable query or a clean empty result.
    public static let all: [String] = quotes + operators + fts5Syntax + punctuation + injection
        + controls + emoji + scripts + markers + long

    /// Unbalanced, empty and stray quotes, typographic ones included.
    public static let quotes: [String] = [
        "", " ", "\t\n  \r\n", "\"", "\"\"", "\"\"\"", "\"\"\"\"", "\" \"", "\"unbalanced phrase",
        "unbalanced\"", "a\"b", "a\"b\"c", "\"a\"\"b\"", "a\"\"b", "\"a\" \"", "\"-a\"", "\"*\"", "\"a*\"",
        "\"a b\"*", "\"a b\"**", "\"a b\" *", "«Қазақстан»", "«unclosed", "„Bishkek“", "“Tashkent”",
        "”reversed“", "＂fullwidth＂", "'single'", "'", "''", "\\\"", "\"\\\"", "\"\\\"\"",
    ]

    /// The query language's own operators, misplaced.
    public static let operators: [String] = [
        "-", "--", "---", "- -", "-  -  -", "-\"\"", "-\"", "-*", "-a", "-a -b", "--a", "-\"a phrase\"",
        "- a", "a -", "a-", "-a-", "a--b", "a - b", "*", "**", "***", "* * *", "a*", "*a", "a**",
        "**a**", "x*y", "a*b*", ".*", "a.*", "é*", "ab*", "-ab*", "OR", "OR OR", "OR OR OR", "a OR",
        "OR a", "a OR OR b", "a OR -b", "-a OR b", "a OR b OR c", "a OR b c OR d", "or", "Or a",
        "\"OR\"", "\"a OR b\"", "-OR", "OR*", "a OR *", "a OR \"\" OR b", "a a a a", "a OR a",
    ]

    /// FTS5 syntax that must come out as plain words.
    public static let fts5Syntax: [String] = [
        "NEAR(a b)", "NEAR(a b, 2)", "NEAR(\"a\" \"b\", 10)", "a NEAR b", "NEAR", "NEAR(", "^a", "^", "a ^b",
        "title:a", "body : a", "{title body}: a", "{title}:a", "- {title}: a", "-title:a", "{", "}", ":",
        "col:*", "*:*", "a AND b", "a NOT b", "NOT a", "AND", "NOT", "AND OR NOT", "a AND", "(a OR b)",
        "((((", "))))", "(a", "a)", "()", "(\"\")", "+a", "a + b", "a+b", "\"a\" + \"b\"", "a:", ":a",
        "rowid:1", "articles_fts MATCH 'x'", "a \"NEAR\" b", "\"a\" NOT \"b\"",
    ]

    /// Words joined by punctuation, and punctuation alone.
    public static let punctuation: [String] = [
        "don't", "U.S.", "U.S.A", "covid-19", "COVID-19 vaccine", "e-mail", "C++", "C#", ".NET", "100%",
        "$100", "#hashtag", "@user", "a@b.com", "http://example.com/a?b=c&d=e", "path/to/file",
        "back\\slash", "semi;colon", "...", "!!!", "?", "&&", "||", "| a", "~a", "a~", "`a`", "—", "–a",
        "a_b", "_", "%", "a%b", "1,000,000", "3.14", "2025-02-08", "№5", "§ 3", "¿qué?", "¡hola!",
    ]

    /// SQL and markup that must stay inert.
    public static let injection: [String] = [
        "drop table articles;--", "' OR 1=1 --", "\" OR 1=1 --", "\"; DROP TABLE articles; --",
        "'); DELETE FROM articles; --", "a' AND 'b", "<script>alert(1)</script>", "&amp;", "&lt;b&gt;",
        "%' OR '%'='", "${jndi:ldap://x}", "{{title}}", "{{{body}}}", "\\x00", "%00", "a;b",
    ]

    /// Control, invisible and replacement characters (as left by invalid UTF-8).
    public static let controls: [String] = [
        "a\u{0}b", "\u{0}", "\u{7}\u{1B}[31mred", "\r\n", "\u{200B}", "\u{200B}a\u{200B}", "\u{FEFF}a",
        "\u{200D}", "a\u{200C}b", "a\u{AD}b", "\u{AD}", "\u{2028}\u{2029}", "\u{85}", "\u{FFFD}",
        "\u{FFFD}\u{FFFD}a", String(decoding: [0xFF, 0xFE, 0x61, 0xC3, 0x28] as [UInt8], as: UTF8.self),
        character(0xFFFE), character(0xFFFF), character(0xFDD0), character(0x10FFFF), "\u{E0001}a", "\u{202E}evil", "a\u{0301}",
        "\u{0301}", "\u{0301}\u{0301}", "-\u{0301}", "\u{0363}x", "x\u{0363}", "\u{FE0F}",
    ]

    /// Emoji old and new (FTS5 ignores emoji from Unicode 6.1 and earlier but indexes later ones).
    public static let emoji: [String] = [
        "😀", "😀😀😀", "👨‍👩‍👧", "🇰🇿", "👍🏽", "🤣", "🫠", "a😀b", "😀 -😀", "-🤣", "🤣*", "\"😀\"", "😀 OR 🤣",
    ]

    /// Scripts and letter forms the site's readers use, plus a few tokenizer oddities.
    public static let scripts: [String] = [
        "café", "cafe\u{301}", "Қазақстан", "Ўзбекистон", "Тоҷикистон", "Кыргызстан", "Türkmenistan",
        "O‘zbekiston", "Oʻzbekiston", "ёлка", "ЁЛКА", "йод", "中文", "日本語", "العربية", "فارسی",
        "پښتو", "हिन्दी", "ქართული", "Ἀθῆναι", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ｆｕｌｌｗｉｄｔｈ", "İstanbul", "ß", "ﬁnance",
        "Ⅻ", "²", "½", "٣٤", "\u{1C90}\u{1C91}", "\u{1E900}",
    ]

    /// The private-use characters FTS5 is asked to mark matches with.
    public static let markers: [String] = [
        "\u{E000}", "\u{E001}", "\u{E000}a\u{E001}", "a\u{E001}", "\u{E000}\u{E000}", "\u{F8FF}",
    ]

    /// A string of one code point the compiler will not accept in a literal (noncharacters).
    private static func character(_ value: UInt32) -> String {
        Unicode.Scalar(value).map(String.init) ?? ""
    }

    /// Very long input: past the length and term limits.
    public static let long: [String] = [
        String(repeating: "a ", count: 5_000),
        String(repeating: "a", count: 10_000),
        String(repeating: "word", count: 300) + " tail",
        (1...400).map { "w\($0)" }.joined(separator: " "),
        (1...400).map { "-x\($0)" }.joined(separator: " "),
        (1...300).map { "t\($0)" }.joined(separator: " OR "),
        "\"" + (1...300).map { "p\($0)" }.joined(separator: " ") + "\"",
        String(repeating: "\"", count: 10_000),
        String(repeating: "-", count: 10_000),
        String(repeating: "*", count: 10_000),
        String(repeating: "OR ", count: 3_000),
        String(repeating: "😀", count: 2_500),
        String(repeating: "Қазақстан ", count: 1_000),
        String(repeating: "(", count: 5_000) + "a" + String(repeating: ")", count: 5_000),
    ]
}

import CaravanCore
import Foundation
import Testing

@Suite("Excerpts: about 200 characters, cut between words")
struct ExcerptTests {
    @Test func shortTextIsKeptWhole() {
        #expect(Excerpt.make(from: "A short  story.\n\nTwo paragraphs.") == "A short story. Two paragraphs.")
    }

    @Test func longTextIsCutAtAWordWithAnEllipsis() {
        let text = String(repeating: "remittances ", count: 40)
        let excerpt = Excerpt.make(from: text)
        #expect(excerpt.hasSuffix("remittances…"))
        #expect(excerpt.count <= 201)
        #expect(excerpt.count > 180)
    }

    @Test func neverSplitsAMultiByteLetterOrEmoji() {
        let text = String(repeating: "Қазақстан 🇰🇿 ", count: 30)
        let excerpt = Excerpt.make(from: text, limit: 50)
        #expect(excerpt.hasSuffix("…"))
        #expect(excerpt.dropLast().split(separator: " ").allSatisfy { $0 == "Қазақстан" || $0 == "🇰🇿" })
    }

    @Test func aWordLongerThanTheLimitIsCutAtTheLimit() {
        let excerpt = Excerpt.make(from: String(repeating: "x", count: 300), limit: 20)
        #expect(excerpt == String(repeating: "x", count: 20) + "…")
    }

    @Test func danglingPunctuationIsDropped() {
        #expect(Excerpt.make(from: "one two, three", limit: 9) == "one two…")
    }
}

@Suite("Plain text from our HTML")
struct PlainTextTests {
    @Test(arguments: [
        ("<p>Tom &amp; Jerry</p>", "Tom & Jerry"),
        ("<p>One</p><p>Two</p>", "One Two"),
        ("a &lt;b&gt; c", "a <b> c"),
        ("&#1178;&#x4E2D; &bogus; &", "Қ中 &bogus; &"),
        ("<code>&lt;script&gt;</code>", "<script>"),
    ])
    func strips(html: String, text: String) {
        #expect(PlainText.fromHTML(html).trimmingCharacters(in: .whitespaces) == text)
    }
}

@Suite("Slugs")
struct SlugTests {
    @Test(arguments: [
        ("Aktau port adds container berths", "aktau-port-adds-container-berths"),
        ("Silk & cotton: what \"fair trade\" means", "silk-cotton-what-fair-trade-means"),
        ("Алматы: новый мост через реку", "almaty-novyy-most-cherez-reku"),
        ("Қазақстан және Өзбекстан", "qazaqstan-zhane-ozbekstan"),
        ("Душанбе — ҷумҳурӣ", "dushanbe-jumhuri"),
        ("Türkmenbaşy çöl", "turkmenbasy-col"),
        ("Don't panic", "dont-panic"),
        ("  --- ", "story"),
        ("🇰🇿🇺🇿", "story"),
    ])
    func slug(title: String, expected: String) {
        #expect(Slug.make(from: title) == expected)
    }

    @Test func longTitlesAreCutAtAWord() {
        let slug = Slug.make(from: String(repeating: "central asia ", count: 20))
        #expect(slug.count <= Slug.maximumLength)
        #expect(!slug.hasSuffix("-"))
        #expect(slug.hasSuffix("asia") || slug.hasSuffix("central"))
    }
}

@Suite("Dates")
struct DateTests {
    let almaty = TimeZone(identifier: "Asia/Almaty")!

    @Test func dateLineUsesTheSiteTimeZone() {
        // 20:00 UTC on 7 February is already 8 February in Almaty.
        let date = ISODate.parse("2025-02-07T20:00:00Z", timeZone: almaty)!
        #expect(DateLine(timeZone: almaty).day(date) == "08 February 2025")
        #expect(DateLine(timeZone: TimeZone(identifier: "UTC")!).day(date) == "07 February 2025")
        #expect(DateLine.iso8601(date) == "2025-02-07T20:00:00Z")
    }

    @Test(arguments: [
        ("2025-02-08", "2025-02-07T19:00:00Z"),
        ("2025-02-08T09:00:00Z", "2025-02-08T09:00:00Z"),
        ("2025-02-08T09:00:00+05:00", "2025-02-08T04:00:00Z"),
        ("2025-02-08T09:00:00.250-0130", "2025-02-08T10:30:00Z"),
        ("1987-02-26T15:01:01", "1987-02-26T09:01:01Z"),
        ("2025-02-08T09:00", "2025-02-08T04:00:00Z"),  // Almaty has been UTC+5 since March 2024
    ])
    func parses(text: String, utc: String) throws {
        let date = try #require(ISODate.parse(text, timeZone: almaty))
        #expect(DateLine.iso8601(date) == utc)
    }

    @Test(arguments: ["", "yesterday", "2025-02-30", "2025-13-01", "2025-02-08T25:00", "2025-2-8", "2025-02-08T09:00:00+99:00", "2025-02-08X"])
    func rejects(text: String) {
        #expect(ISODate.parse(text, timeZone: almaty) == nil)
    }
}

@Suite("Story bodies render to safe HTML")
struct ArticleBodyTests {
    @Test func markdownBecomesHTML() {
        let html = ArticleBody.html(fromMarkdown: "## Water\n\nThe *Aral* sea.\n\n- one\n- two\n\n[report](https://example.org/report)")
        #expect(html.contains("<h2>Water</h2>"))
        #expect(html.contains("<em>Aral</em>"))
        #expect(html.contains("<li>one</li>"))
        #expect(html.contains("<a href=\"https://example.org/report\" rel=\"nofollow noopener\">report</a>"))
    }

    @Test func plainTextParagraphsBecomeParagraphs() {
        let html = ArticleBody.html(fromMarkdown: "First paragraph.\r\n\r\nSecond paragraph.")
        #expect(html == "<p>First paragraph.</p>\n<p>Second paragraph.</p>\n")
    }

    /// What CommonMark says and the old renderer got wrong, and GitHub's extensions that newsrooms paste.
    static let commonMark: [(markdown: String, html: String)] = [
        ("See [the report][r].\n\n[r]: https://example.org/r \"Report\"",
         "<p>See <a href=\"https://example.org/r\" title=\"Report\" rel=\"nofollow noopener\">the report</a>.</p>\n"),
        ("Type `a*b*c` or ``x ` y``.", "<p>Type <code>a*b*c</code> or <code>x ` y</code>.</p>\n"),
        ("<figure>\n<figcaption>Dam</figcaption>\n</figure>\n\nAfter the *dam*.",
         "<figure>\n<figcaption>Dam</figcaption>\n</figure>\n<p>After the <em>dam</em>.</p>\n"),
        ("| Year | Tonnes |\n| --- | ---: |\n| 2024 | 1,200 |",
         "<table>\n<thead>\n<tr>\n<th>Year</th>\n<th align=\"right\">Tonnes</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>2024</td>\n<td align=\"right\">1,200</td>\n</tr>\n</tbody>\n</table>\n"),
        ("The ~~old~~ new plan.", "<p>The <del>old</del> new plan.</p>\n"),
        ("Read https://example.org/a now.",
         "<p>Read <a href=\"https://example.org/a\" rel=\"nofollow noopener\">https://example.org/a</a> now.</p>\n"),
        ("A\u{0}B", "<p>A\u{FFFD}B</p>\n"),
        ("> quoted\n\n1. first\n2. second", "<blockquote>\n<p>quoted</p>\n</blockquote>\n<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n"),
    ]

    @Test func quotesAndListsNestAtMostThirtyTwoDeep() {
        let quotes = ArticleBody.html(fromMarkdown: String(repeating: ">", count: 40) + " deep")
        #expect(quotes.components(separatedBy: "<blockquote>").count - 1 == 32)
        #expect(quotes.contains("&gt;&gt;&gt;&gt;&gt;&gt;&gt;&gt; deep"))
        let lists = ArticleBody.html(fromMarkdown: String(repeating: "- ", count: 40) + "deep")
        #expect(lists.components(separatedBy: "<ul>").count - 1 == 32)
        // Thirty-two is kept whole, and fenced code is never touched.
        let kept = ArticleBody.html(fromMarkdown: String(repeating: "> ", count: 32) + "x")
        #expect(kept.components(separatedBy: "<blockquote>").count - 1 == 32)
        let fenced = "```\n" + String(repeating: ">", count: 40) + "\n```"
        #expect(ArticleBody.html(fromMarkdown: fenced) == "<pre><code>" + String(repeating: "&gt;", count: 40) + "\n</code></pre>\n")
    }

    @Test func aParagraphOfTensOfThousandsOfEmphasisMarksShowsThemAsWritten() {
        let marks = String(repeating: "*_", count: 6_000) + String(repeating: "_*", count: 6_000)
        let html = ArticleBody.html(fromMarkdown: "Before *this*.\n\n" + marks + "\n\nAfter _that_.")
        #expect(html.hasPrefix("<p>Before <em>this</em>.</p>\n<p>*_*_"))
        #expect(!html.contains("<em>*") && !html.contains("<strong>"))
        #expect(html.hasSuffix("<p>After <em>that</em>.</p>\n"))
        // Ten thousand marks or fewer in a paragraph are Markdown as usual.
        let fewer = ArticleBody.html(fromMarkdown: String(repeating: "*a* ", count: 2_500))
        #expect(fewer.components(separatedBy: "<em>").count - 1 == 2_500)
    }

    @Test(arguments: commonMark.indices)
    func rendersCommonMark(case index: Int) {
        let (markdown, html) = Self.commonMark[index]
        #expect(ArticleBody.html(fromMarkdown: markdown) == html)
    }

    static let probes = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "<a href=\"JaVaScRiPt&#58;alert(1)\">click</a>",
        "<a href=\" java\tscript:alert(1)\">x</a>",
        "<svg onload=alert(1)><circle/></svg>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "[x](javascript:alert(1))",
        "<p style=\"background:url(javascript:alert(1))\" onclick=\"alert(1)\">hi</p>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">d</a>",
    ]

    @Test(arguments: probes)
    func rawHTMLIsInert(probe: String) {
        let html = ArticleBody.html(fromMarkdown: "Before.\n\n\(probe)\n\nAfter.").lowercased()
        // Escaped text may mention anything; what matters is the markup that a browser would act on.
        let tags = html.split(separator: "<").dropFirst().map { "<" + $0.prefix { $0 != ">" } }
        for tag in tags {
            #expect(!tag.hasPrefix("<script") && !tag.hasPrefix("<svg") && !tag.hasPrefix("<iframe"), "\(tag)")
            #expect(!tag.contains(" on"), "event handler in \(tag)")
            #expect(!tag.contains("javascript") && !tag.contains("data:") && !tag.contains("style="), "\(tag)")
        }
    }

    /// Found by the Markdown fuzzer: a `>` followed by a combining mark is one Swift Character but still ends the tag
    /// for a browser, which reads code points; what matters is the markup in the bytes.
    @Test func aCombiningMarkAfterATagChangesNothing() {
        let html = ArticleBody.html(fromMarkdown: "<a href=\"/x\" onclick=\"steal()\">\u{059E}text</a> <img src=x onerror=y>\u{0301}")
        let bytes = Array(html.utf8)
        var tags: [String] = []
        var index = 0
        while let open = bytes[index...].firstIndex(of: UInt8(ascii: "<")) {
            let end = bytes[open...].firstIndex(of: UInt8(ascii: ">")) ?? bytes.count
            tags.append(String(decoding: bytes[open..<end], as: UTF8.self))
            index = end
        }
        #expect(tags == ["<p", "<a href=\"/x\" rel=\"nofollow noopener\"", "</a", "<img src=\"x\"", "</p"], "\(html)")
    }

    @Test func codeSpansShowTheirText() {
        let html = ArticleBody.html(fromMarkdown: "The page showed `<script>alert(1)</script>` instead.")
        #expect(!html.contains("<script"))
        #expect(PlainText.fromHTML(html).contains("<script>alert(1)</script>"))
    }

    @Test func tickerSymbolsInReutersTitlesSurviveAsText() {
        let html = ArticleBody.html(fromMarkdown: "STANDARD OIL <SRD> TO FORM UNIT")
        #expect(PlainText.fromHTML(html).contains("<SRD>"))
    }
}

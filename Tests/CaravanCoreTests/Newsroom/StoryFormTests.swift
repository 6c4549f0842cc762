import CaravanCore
import Foundation
import Testing

/// The form as posted, one value a field; a story with a title unless the case says otherwise.
private func read(_ fields: [String: String], title: String? = "Aktau port adds berths") -> (
    content: StoryContent, problems: [StoryForm.Problem]
) {
    var posted = fields.mapValues { [$0] }
    if let title, posted["title"] == nil { posted["title"] = [title] }
    return StoryForm.read(posted)
}

private func problem(_ field: String, _ message: String) -> StoryForm.Problem {
    StoryForm.Problem(field: field, message: message)
}

@Suite("Story form: text fields")
struct StoryFormTextTests {
    @Test(arguments: [
        ("title", "  Aktau port adds berths  ", StoryField.title, "Aktau port adds berths"),
        // A title is one line, however it was pasted.
        ("title", "Aktau port\r\nadds berths\n", .title, "Aktau port adds berths"),
        ("title", "\tАлматы: новый мост\u{00A0}", .title, "Алматы: новый мост"),
        ("standfirst", "\n  Two berths open.\r\nCranes follow.  \n\n", .standfirst, "Two berths open.\nCranes follow."),
        // The body is Markdown: leading spaces and blank lines mean something there, so only line ends change.
        ("body", "    let code = 1\r\n\r\nA paragraph.\r\n", .body, "    let code = 1\n\nA paragraph.\n"),
        ("author", "  Ainur Sarsenova ", .author, "Ainur Sarsenova"),
        ("section", " Business\n", .section, "Business"),
        ("author", "   ", .author, ""),
    ])
    func field(name: String, typed: String, field: StoryField, expected: String) {
        let (content, problems) = read([name: typed], title: name == "title" ? nil : "A title")
        #expect(content.text(of: field) == expected)
        #expect(problems.isEmpty)
    }

    /// Checkboxes and repeated fields send several values; a single-value field takes the last.
    @Test func aRepeatedFieldKeepsItsLastValue() {
        let (content, _) = StoryForm.read(["title": ["First", "Second"], "author": []])
        #expect(content.title == "Second")
        #expect(content.author == "")
    }

    @Test(
        arguments: [
            ("", []),
            (",, ,", []),
            ("ports", ["ports"]),
            (" ports , rail,, ,cotton ", ["ports", "rail", "cotton"]),
            ("Middle Corridor, ports", ["Middle Corridor", "ports"]),
            ("rail, ports, rail", ["rail", "ports"]),
            // The same tag typed twice in another case is one tag: the first spelling wins.
            ("Oil, oil, OIL", ["Oil"]),
            ("Қазақстан, ҚАЗАҚСТАН", ["Қазақстан"]),
        ] as [(String, [String])])
    func tags(typed: String, tags: [String]) {
        let (content, problems) = read(["tags": typed])
        #expect(content.tags == tags)
        #expect(problems.isEmpty)
    }
}

@Suite("Story form: countries, language and web address")
struct StoryFormChoiceTests {
    @Test(
        arguments: [
            ([], [], []),
            (["KZ"], [Country.kazakhstan], []),
            (["kz", "UZ"], [.kazakhstan, .uzbekistan], []),
            (["KZ,TJ", " tm "], [.kazakhstan, .tajikistan, .turkmenistan], []),
            (["KZ", "kz", "KZ,UZ"], [.kazakhstan, .uzbekistan], []),
            (["XC", "AF", "KG"], [.region, .afghanistan, .kyrgyzstan], []),
            (["", " , "], [], []),
            (["KZ", "RU"], [.kazakhstan], [problem("countries", "\"RU\" is not a country this site covers.")]),
            (
                [" xx ", "kazakhstan"], [],
                [
                    problem("countries", "\"xx\" is not a country this site covers."),
                    problem("countries", "\"kazakhstan\" is not a country this site covers."),
                ]
            ),
        ] as [([String], [Country], [StoryForm.Problem])])
    func countries(posted: [String], countries: [Country], problems: [StoryForm.Problem]) {
        let form = StoryForm.read(["title": ["A title"], "countries": posted])
        #expect(form.content.countries == countries)
        #expect(form.problems == problems)
    }

    @Test(
        arguments: [
            ("", Article.Language.en, []),
            ("en", .en, []),
            ("ru", .ru, []),
            (" ru ", .ru, []),
            ("RU", .ru, []),
            ("de", .en, [problem("language", "The language must be en or ru, not \"de\".")]),
            ("English", .en, [problem("language", "The language must be en or ru, not \"English\".")]),
        ] as [(String, Article.Language, [StoryForm.Problem])])
    func language(typed: String, language: Article.Language, problems: [StoryForm.Problem]) {
        let form = read(["language": typed])
        #expect(form.content.language == language)
        #expect(form.problems == problems)
    }

    static let noLetters = problem("slug", "The web address needs at least one letter or digit.")

    @Test(
        arguments: [
            // Empty means "make it from the title" when the story is saved.
            ("", "", []),
            ("   ", "", []),
            ("aktau-port", "aktau-port", []),
            ("Aktau Port", "aktau-port", []),
            ("  my--custom slug! ", "my-custom-slug", []),
            ("/news/aktau-port/", "news-aktau-port", []),
            ("Алматы: новый мост", "almaty-novyy-most", []),
            ("Қазақстан және Өзбекстан", "qazaqstan-zhane-ozbekstan", []),
            ("Türkmenbaşy", "turkmenbasy", []),
            ("2026", "2026", []),
            ("story", "story", []),
            // Nothing a web address can hold: refused, and shown again as typed.
            ("---", "---", [noLetters]),
            ("🇰🇿 🇺🇿", "🇰🇿 🇺🇿", [noLetters]),
            ("ъь", "ъь", [noLetters]),
        ] as [(String, String, [StoryForm.Problem])])
    func slug(typed: String, slug: String, problems: [StoryForm.Problem]) {
        let form = read(["slug": typed])
        #expect(form.content.slug == slug)
        #expect(form.problems == problems)
    }
}

@Suite("Story form: a story that cannot be saved")
struct StoryFormProblemTests {
    static let empty = problem("title", "Write a title or a body: a story cannot be empty.")
    static let title300 = String(repeating: "Қ", count: 300)
    static let title301 = String(repeating: "a", count: 301)

    @Test(
        arguments: [
            ([:], [empty]),
            (["title": "", "body": ""], [empty]),
            (["title": "  \n ", "body": " \r\n\t\n"], [empty]),
            (["standfirst": "Only a standfirst."], [empty]),
            (["title": "Aktau port adds berths"], []),
            (["body": "A story without a title yet."], []),
            (["title": title300], []),
            (["title": title301], [problem("title", "The title is 301 characters; keep it to 300 at most.")]),
            (
                ["body": "Text.", "slug": "—", "language": "kz", "image_caption": "Dawn"],
                [
                    problem("slug", "The web address needs at least one letter or digit."),
                    problem("language", "The language must be en or ru, not \"kz\"."),
                    problem("image_url", "A caption or credit needs an image address."),
                ]
            ),
        ] as [([String: String], [StoryForm.Problem])])
    func problems(fields: [String: String], problems: [StoryForm.Problem]) {
        #expect(read(fields, title: nil).problems == problems)
    }

    /// A form shown again with its problems loses nothing the person typed.
    @Test func aRefusedFormKeepsWhatWasTyped() {
        let form = read(
            ["title": Self.title301, "body": "Body.", "image_url": "javascript:alert(1)", "image_credit": "Me"],
            title: nil)
        #expect(form.problems.count == 2)
        #expect(form.content.title == Self.title301)
        #expect(form.content.body == "Body.")
        #expect(form.content.image == FeaturedImage(url: "javascript:alert(1)", credit: "Me"))
    }
}

@Suite("Story form: featured image")
struct StoryFormImageTests {
    static let refused = "The image address must start with https:// (or http://) and name a host."

    @Test(arguments: [
        ("https://cdn.caravan.news/aktau.jpg", nil as String?),
        ("http://example.kz/photos/aktau.jpg?w=1200", nil),
        ("HTTPS://EXAMPLE.KZ/AKTAU.JPG", nil),
        ("https://127.0.0.1:8080/a.jpg", nil),
        // Anything that is not a plain web address could run in a reader's browser or point nowhere.
        ("javascript:alert(1)", refused),
        ("JavaScript:alert(document.cookie)", refused),
        ("javascript://cdn.caravan.news/%0Aalert(1)", refused),
        ("data:image/png;base64,iVBORw0KGgo=", refused),
        ("data:text/html,<script>alert(1)</script>", refused),
        ("vbscript:msgbox(1)", refused),
        ("file:///etc/passwd", refused),
        ("ftp://example.kz/aktau.jpg", refused),
        ("/images/aktau.jpg", refused),
        ("images/aktau.jpg", refused),
        ("//cdn.caravan.news/aktau.jpg", refused),
        ("cdn.caravan.news/aktau.jpg", refused),
        ("https://", refused),
        ("https:///aktau.jpg", refused),
        ("http:cdn.caravan.news/aktau.jpg", refused),
        ("https://cdn.caravan.news/" + String(repeating: "a", count: 1975), nil),
        (
            "https://cdn.caravan.news/" + String(repeating: "a", count: 1976),
            "The image address is longer than 2000 characters."
        ),
    ])
    func imageAddress(url: String, refusal: String?) {
        #expect(StoryForm.imageURLProblem(url) == refusal)
        let form = read(["image_url": url, "image_caption": "The port at dawn"])
        #expect(form.problems == (refusal.map { [problem("image_url", $0)] } ?? []))
        #expect(form.content.image == FeaturedImage(url: url, caption: "The port at dawn"))
    }

    @Test(
        arguments: [
            ([:], nil, []),
            (
                ["image_url": "  https://cdn.caravan.news/a.jpg\n"],
                FeaturedImage(url: "https://cdn.caravan.news/a.jpg"), []
            ),
            (
                [
                    "image_url": "https://cdn.caravan.news/a.jpg", "image_caption": " Dawn ",
                    "image_credit": " Caravan ",
                ],
                FeaturedImage(url: "https://cdn.caravan.news/a.jpg", caption: "Dawn", credit: "Caravan"), []
            ),
            (["image_url": "", "image_caption": "", "image_credit": ""], nil, []),
            (
                ["image_caption": "The port at dawn"], FeaturedImage(url: "", caption: "The port at dawn"),
                [problem("image_url", "A caption or credit needs an image address.")]
            ),
            (
                ["image_url": "   ", "image_credit": "Reuters"], FeaturedImage(url: "", credit: "Reuters"),
                [problem("image_url", "A caption or credit needs an image address.")]
            ),
        ] as [([String: String], FeaturedImage?, [StoryForm.Problem])])
    func image(fields: [String: String], image: FeaturedImage?, problems: [StoryForm.Problem]) {
        let form = read(fields)
        #expect(form.content.image == image)
        #expect(form.problems == problems)
    }
}

@Suite("Story form: publication time typed in the newsroom's time zone")
struct StoryFormTimeTests {
    static let almaty = TimeZone(identifier: "Asia/Almaty")!

    static func utc(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    // Almaty has been UTC+5 all year round since March 2024.
    @Test(arguments: [
        ("2026-12-01T09:30", "2026-12-01T04:30:00Z" as String?),
        ("2026-12-01T09:30:15", "2026-12-01T04:30:15Z"),
        (" 2026-12-01T09:30 ", "2026-12-01T04:30:00Z"),
        ("2026-01-01T00:00", "2025-12-31T19:00:00Z"),
        ("2026-06-15T23:59", "2026-06-15T18:59:00Z"),
        ("2028-02-29T12:00", "2028-02-29T07:00:00Z"),
        ("2026-12-31T23:59:59", "2026-12-31T18:59:59Z"),
        // Dates that do not exist are refused, not rolled over into the next month.
        ("2026-02-29T12:00", nil),
        ("2026-02-30T10:00", nil),
        ("2026-04-31T10:00", nil),
        ("2026-13-01T10:00", nil),
        ("2026-00-10T10:00", nil),
        ("2026-12-00T10:00", nil),
        ("2026-12-32T10:00", nil),
        ("2026-12-01T24:00", nil),
        ("2026-12-01T09:60", nil),
        ("2026-12-01T09:30:60", nil),
        ("2026-12-01T-1:30", nil),
        // Anything that is not the field's format is refused rather than half read.
        ("", nil),
        ("2026-12-01", nil),
        ("09:30", nil),
        ("2026-12-01 09:30", nil),
        ("2026-12-01T09", nil),
        ("2026-12-01T09:30:00:00", nil),
        ("2026-12-01-05T09:30", nil),
        ("2026-12-xxT09:30", nil),
        ("2026-12-01-xxT09:30", nil),
        ("2026-12-01T09:3O", nil),
        ("2026-12-01T09:30:xx", nil),
        ("2026-12-01TT09:30", nil),
        ("+2026-12-01T09:30", nil),
        ("２０２６-12-01T09:30", nil),
        ("0000-12-01T09:30", nil),
        ("99999999999999999999-12-01T09:30", nil),
        ("tomorrow", nil),
    ])
    func localTime(typed: String, instant: String?) {
        #expect(StoryForm.localTime(typed, timeZone: Self.almaty) == instant.map(Self.utc))
    }

    @Test(arguments: [
        ("2026-12-01T04:30:00Z", "2026-12-01T09:30"),
        ("2025-12-31T19:00:00Z", "2026-01-01T00:00"),
        ("2025-12-31T18:59:59Z", "2025-12-31T23:59"),
        ("2028-02-29T07:05:00Z", "2028-02-29T12:05"),
    ])
    func localTimeText(instant: String, shown: String) {
        #expect(StoryForm.localTimeText(Self.utc(instant), timeZone: Self.almaty) == shown)
    }

    /// What the field shows is read back as the same time, so opening and saving a scheduled story does not move it.
    @Test(arguments: [
        "2026-12-01T09:30", "2026-01-01T00:00", "2028-02-29T12:05", "2026-03-01T00:00", "2026-12-31T23:59",
    ])
    func roundTrip(shown: String) throws {
        let time = try #require(StoryForm.localTime(shown, timeZone: Self.almaty))
        #expect(StoryForm.localTimeText(time, timeZone: Self.almaty) == shown)
    }
}

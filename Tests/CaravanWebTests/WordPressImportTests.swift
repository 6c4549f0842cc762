import CaravanCore
import CaravanImport
import CaravanMedia
import CaravanRates
import CaravanSQLite
import CaravanStorage
import CaravanTestSupport
import CaravanWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Moving in from WordPress: `site.xml`, an export written for these tests, imported as `caravan import wxr` does,
/// then the site read the way the old site's readers and search engines arrive.
@Suite("Importing a WordPress export")
struct WordPressImportTests {
    static var fixtures: URL { Bundle.module.resourceURL!.appendingPathComponent("Fixtures/wxr") }
    let zone = TimeZone(identifier: "Asia/Almaty")!

    /// One site's database and the importer over it, with a copy of `wp-content/uploads` holding one picture.
    struct Site {
        let database: SQLiteDatabase
        let articles: SQLiteArticleStore
        let media: MediaLibrary
        let redirects: SQLiteRedirectStore
        let uploads: URL
        let importer: WXRImporter

        init(zone: TimeZone) throws {
            database = try SQLiteDatabase.inMemory()
            articles = SQLiteArticleStore(database: database)
            let library = MediaLibrary(store: SQLiteMediaStore(database: database))
            media = library
            redirects = SQLiteRedirectStore(database: database)
            uploads = FileManager.default.temporaryDirectory.appendingPathComponent("uploads-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: uploads.appendingPathComponent("2024/05"), withIntermediateDirectories: true)
            try Data(try TestImages.gradient(width: 1200, height: 800, format: "jpg")).write(to: uploads.appendingPathComponent("2024/05/yurt.jpg"))
            importer = WXRImporter(
                articles: articles, redirects: redirects, timeZone: zone,
                addPhotograph: { bytes, alt, caption in
                    let item = try await library.add(bytes, alt: alt, caption: caption).item
                    return WXRImporter.Photograph(
                        id: item.id, folder: "/media/\(item.file)/", widths: item.sizes(.jpeg).map(\.width),
                        original: item.variants.first(where: \.isOriginal)?.name ?? "original.jpg")
                })
        }

        func run(_ file: String = "site.xml", strict: Bool = false, dryRun: Bool = false) async throws -> WXRImporter.Report {
            try await importer.importFile(
                at: WordPressImportTests.fixtures.appendingPathComponent(file).path, uploads: uploads.path, strict: strict,
                dryRun: dryRun)
        }

        /// The site as readers reach it, with the media library and the old addresses.
        func application(zone: TimeZone) async throws -> some ApplicationProtocol {
            try await buildApplication(
                SiteDependencies(
                    store: articles, search: SQLiteSearchIndex(database: database, timeZone: zone),
                    rates: RateDesk(store: SQLiteRateStore(database: database), timeZone: zone),
                    configuration: SiteConfiguration(), media: media, redirects: redirects))
        }

        func story(_ postID: Int) async throws -> Article? {
            try await articles.article(id: Article.ID("wp-old.example.org-\(postID)"))
        }
    }

    @Test("posts become stories with their status, date, byline, section, tags, excerpt and pictures; the rest is counted")
    func stories() async throws {
        let site = try Site(zone: zone)
        let report = try await site.run()
        #expect(report.stories == .init(imported: 6, updated: 0, skipped: 2))
        #expect(report.pages == .init(imported: 0, updated: 0, skipped: 1))
        #expect(report.media == .init(imported: 1, updated: 0, skipped: 1))
        #expect(report.sticky == 1 && report.passwordProtected == 1 && report.revisionsAndOther == 3)
        #expect(report.unknownShortcodes == ["contact-form-7"])
        let lines = report.lines.joined(separator: "\n")
        #expect(lines.contains("skipped: post 20 at line"))
        #expect(lines.contains("it has neither a title nor a body"))
        #expect(lines.contains("skipped: product 22 at line") && lines.contains("the post type \"product\" is not one Caravan imports"))
        #expect(lines.contains("attachment 21 (2024/06/missing.jpg): not in"))
        #expect(lines.contains("page 17 at line") && lines.contains("static pages are not imported yet"))
        #expect(lines.contains("stories: imported 6, updated 0, skipped 2"))

        let herders = try #require(try await site.story(11))
        #expect(herders.status == .published && herders.slug == "herders-return")
        #expect(herders.published == Date(timeIntervalSince1970: 1_716_186_600), "post_date_gmt, 2024-05-20 06:30 UTC")
        #expect(herders.author?.name == "Aigerim Sadykova")
        #expect(herders.section?.name == "News / Asia" && herders.section?.slug == "news-asia")
        #expect(herders.tags.map(\.name) == ["Water"])
        #expect(herders.standfirst == "Flocks go up early after a mild spring.")
        #expect(!herders.body.contains("<!-- wp:") && !herders.body.contains("[caption"))
        #expect(herders.bodyHTML.contains("<figcaption>The camp at dawn</figcaption>"))
        #expect(!herders.bodyHTML.contains("old.example.org/wp-content"), "every old picture address is rewritten")
        let yurt = try #require(try await site.media.store.library(words: "yurt", page: 1, perPage: 5).items.first)
        #expect(yurt.alt == "A white yurt on a green slope")
        #expect(herders.image?.media == yurt.id, "_thumbnail_id is the featured photograph")
        #expect(herders.bodyHTML.contains("/media/\(yurt.file)/320.jpg"), "the 300-wide copy is the library's nearest wider file")

        let cotton = try #require(try await site.story(12))
        #expect(cotton.status == .scheduled)
        #expect(cotton.bodyHTML.contains("<p>Growers expect a larger harvest.<br>\nPrices at the gin are steady.</p>\n<p>Traders are cautious.</p>"))
        #expect(cotton.bodyHTML.contains("<a href=\"https://www.youtube.com/watch?v=abc123\""))
        #expect(!cotton.bodyHTML.contains("<iframe") && !cotton.bodyHTML.contains("<script"))
        #expect(cotton.bodyHTML.contains("<p>[contact-form-7 id=\"5\" title=\"Tips\"]</p>"), "an unknown shortcode stays as text")

        let draft = try #require(try await site.story(13))
        #expect(draft.status == .draft)
        #expect(draft.published == DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: zone, year: 2024, month: 6, day: 1, hour: 9, minute: 15).date, "the zero GMT date falls back to post_date in the site's zone")
        #expect(try await site.story(14)?.status == .draft, "private stays out of the readers' sight")
        #expect(try await site.story(18)?.status == .draft, "password-protected text is never published")
        for left in [15, 16, 17] { #expect(try await site.story(left) == nil, "item \(left)") }
        let russian = try #require(try await site.story(19))
        #expect(russian.slug == "vybory" && russian.title == "Выборы в Бишкеке: что изменилось")
        #expect(russian.bodyHTML.contains("/media/\(yurt.file)/960.jpg"), "the gallery shows the photographs it names that came across")
    }

    @Test("a re-run updates in place and duplicates nothing; a dry run and a strict run with bad items write nothing")
    func reruns() async throws {
        let site = try Site(zone: zone)
        let dry = try await site.run(dryRun: true)
        #expect(dry.stories.imported == 6)
        #expect(try await site.articles.count() == 0)
        #expect(try await site.redirects.redirects().isEmpty)
        await #expect(throws: WXRError.self) { _ = try await site.run(strict: true) }
        #expect(try await site.articles.count() == 0)

        let first = try await site.run()
        let count = try await site.articles.count()
        let again = try await site.run()
        #expect(again.stories == .init(imported: 0, updated: 6, skipped: 2))
        #expect(again.media.imported == 1, "the same picture is the same photograph")
        #expect(try await site.media.store.library(words: "", page: 1, perPage: 10).total == 1)
        #expect(try await site.articles.count() == count)
        #expect(again.redirects.imported == 0 && again.redirects.updated == 0)
        #expect(first.redirects.imported == (try await site.redirects.redirects().count))
    }

    @Test("every old address answers 301 to a page that answers 200: posts, old slugs, ?p=, categories, tags, authors, feeds, pages of listings, searches, uploads")
    func oldAddresses() async throws {
        let site = try Site(zone: zone)
        _ = try await site.run()
        let app = try await site.application(zone: zone)
        try await app.test(.router) { client in
            func follow(_ path: String) async throws -> (status: HTTPResponse.Status, location: String?, final: HTTPResponse.Status?) {
                let first = try await client.execute(uri: path, method: .get) { ($0.status, $0.headers[.location]) }
                guard first.0 == .movedPermanently, let location = first.1 else { return (first.0, first.1, nil) }
                return (first.0, location, try await client.execute(uri: location, method: .get) { $0.status })
            }
            let expected: [(String, String)] = [
                ("/2024/05/20/herders-return/", "/articles/herders-return"),
                ("/2024/05/20/herders-return", "/articles/herders-return"),
                ("/2024/05/20/herders-return/?utm_source=mail", "/articles/herders-return"),
                ("/?p=11", "/articles/herders-return"),
                ("/2024/05/20/herders-go-up/", "/articles/herders-return"),
                ("/2024/06/04/%D0%B2%D1%8B%D0%B1%D0%BE%D1%80%D1%8B/", "/articles/vybory"),
                ("/category/news/asia/", "/sections/news-asia"),
                ("/category/news/asia/page/2/", "/sections/news-asia?page=2"),
                ("/category/economy/feed/", "/sections/economy/feed.xml"),
                ("/tag/water/", "/tags/water"),
                ("/author/aigerim/", "/authors/aigerim-sadykova"),
                ("/feed/", "/feed.xml"),
                ("/page/3/", "/?page=3"),
                ("/?s=cotton+prices", "/search?q=cotton%20prices"),
            ]
            for (old, new) in expected {
                let answer = try await follow(old)
                #expect(answer.status == .movedPermanently, "\(old)")
                #expect(answer.location == new, "\(old) → \(answer.location ?? "nothing")")
            }
            for old in ["/2024/05/20/herders-return/", "/?p=11", "/category/news/asia/", "/tag/water/", "/author/aigerim/", "/feed/"] {
                #expect(try await follow(old).final == .ok, "\(old) leads to a page")
            }
            let upload = try await follow("/wp-content/uploads/2024/05/yurt-300x200.jpg")
            #expect(upload.status == .movedPermanently && upload.location?.hasPrefix("/media/") == true)
            #expect(upload.final == .ok)
            #expect(try await follow("/2024/06/03/budget-leak/").status == .notFound, "an address whose story is not public stays a 404")
            #expect(try await follow("/no/such/old/page/").status == .notFound)

            // The old redirects as `caravan redirects list` prints them.
            let all = try await site.redirects.redirects()
            #expect(all.contains(Redirect(from: "/tag/water", to: "/tags/water")))
            let yurt = try #require(try await site.media.store.library(words: "", page: 1, perPage: 1).items.first)
            #expect(all.contains(Redirect(from: "/?attachment_id=10", to: "/media/\(yurt.file)/original.jpg")))
        }
    }

    @Test("the imported site, crawled from its home page, has no broken link and no broken picture")
    func crawl() async throws {
        let site = try Site(zone: zone)
        _ = try await site.run()
        let app = try await site.application(zone: zone)
        try await app.test(.router) { client in
            var queue = ["/"]
            var seen: Set<String> = ["/"]
            var broken: [String] = []
            var pages = 0
            while let path = queue.first, pages < 400 {
                queue.removeFirst()
                let (status, type, body) = try await client.execute(uri: path, method: .get) {
                    ($0.status, $0.headers[.contentType] ?? "", String(buffer: $0.body))
                }
                guard status.code < 400 else {
                    broken.append("\(path): \(status.code)")
                    continue
                }
                guard type.hasPrefix("text/html") else { continue }
                pages += 1
                // Every same-site address a page links to or loads: href, src and each srcset candidate.
                let pattern = ##"(?:href|src)="(/[^"#]*)"|srcset="([^"]*)""##
                let expression = try NSRegularExpression(pattern: pattern)
                for match in expression.matches(in: body, range: NSRange(body.startIndex..., in: body)) {
                    var found: [String] = []
                    if let range = Range(match.range(at: 1), in: body) { found.append(String(body[range])) }
                    if let range = Range(match.range(at: 2), in: body) {
                        found += body[range].split(separator: ",").compactMap { $0.split(separator: " ").first.map(String.init) }
                    }
                    for link in found.map({ $0.replacingOccurrences(of: "&amp;", with: "&") })
                    where link.hasPrefix("/") && !link.hasPrefix("/admin") && !seen.contains(link) {
                        seen.insert(link)
                        queue.append(link)
                    }
                }
            }
            #expect(broken.isEmpty, "\(broken)")
            #expect(seen.contains("/articles/herders-return"), "the crawl reached the imported stories")
            #expect(seen.contains { $0.hasPrefix("/media/") && $0.hasSuffix(".webp") }, "and their photographs")
        }
    }

    @Test(
        "a file that is not a WordPress export, or not XML, says what it is and where",
        arguments: [
            ("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>A feed</title><item><title>x</title></item></channel></rss>", "ordinary RSS feed"),
            ("<!DOCTYPE html>\n<html><body><p>Hello</p></body></html>", "not a WordPress export"),
            ("{\"posts\": []}", "malformed XML"),
            ("<?xml version=\"1.0\"?>\n<rss xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n<item><title>Broken</title>\n</channel></rss>", ":5:17: malformed XML: an element closed by the wrong end tag"),
        ])
    func badFiles(_ text: String, _ phrase: String) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).xml")
        try Data(text.utf8).write(to: file)
        let site = try Site(zone: zone)
        await #expect {
            _ = try await site.importer.importFile(at: file.path, uploads: nil, strict: false, dryRun: false)
        } throws: { error in
            "\(error)".contains(phrase)
        }
        #expect(try await site.articles.count() == 0)
    }

    @Test("a byte that is not UTF-8 is named by its line and column, and nothing is written")
    func invalidUTF8() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("latin1-\(UUID().uuidString).xml")
        try Data(Array("<?xml version=\"1.0\"?>\n<rss xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel><wp:post_n".utf8) + [0xDE] + Array("me/></channel></rss>".utf8)).write(to: file)
        let site = try Site(zone: zone)
        await #expect {
            _ = try await site.importer.importFile(at: file.path, uploads: nil, strict: false, dryRun: false)
        } throws: { error in
            "\(error)".hasSuffix(":3:21: the file is not valid UTF-8 there")
        }
        #expect(try await site.articles.count() == 0)
    }

    @Test("the https spelling of the namespace and WXR 1.1 import alike, and a script in a body stays inert")
    func otherSpelling() async throws {
        let site = try Site(zone: zone)
        let report = try await site.run("https-namespace.xml")
        #expect(report.stories.imported == 1)
        let story = try #require(try await site.articles.article(id: Article.ID("wp-other.example.net-5")))
        #expect(story.bodyHTML.contains("The lake rose."))
        #expect(!story.bodyHTML.contains("<script>"))
        #expect(try await site.redirects.redirect(from: "/lake-levels") == "/articles/lake-levels")
    }
}

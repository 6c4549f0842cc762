import CaravanCore
import CaravanDemo
import CaravanRates
import CaravanSQLite
import CaravanStorage
@testable import CaravanWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The demo site's address in tests (SiteConfiguration's default).
private let site = "http://127.0.0.1:8080"

/// 29 November 2026, 00:00 in Almaty: the newest demo stories are in the news sitemap's two days.
private let demoNow = Date(timeIntervalSince1970: 1_795_892_400)

/// Every sitemap Caravan serves, checked by xmllint against the official sitemaps.org and Google News schemas
/// (verbatim copies in Fixtures/sitemap-schemas, see SOURCES.md there).
@Suite("Sitemaps against their schemas")
struct SitemapSchemaTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        let name: String
        let demo: Bool
        let now: Date
        let storiesPerSitemap: Int
        /// Story sitemaps the index must name.
        let storySitemaps: Int
        let newsStories: Int
        var testDescription: String { name }
    }

    @Test(arguments: [
        // 39 demo stories, 15 a file: three story sitemaps, the last one partial; three stories in the news window.
        Scenario(
            name: "demo in three story sitemaps", demo: true, now: demoNow, storiesPerSitemap: 15, storySitemaps: 3,
            newsStories: 3),
        // The newest demo story is weeks old on 8 February 2025: no news.
        Scenario(
            name: "demo with no recent news", demo: true, now: testNow, storiesPerSitemap: 50_000, storySitemaps: 1,
            newsStories: 0),
        Scenario(
            name: "nothing published", demo: false, now: testNow, storiesPerSitemap: 50_000, storySitemaps: 0,
            newsStories: 0),
    ])
    func everyServedSitemapIsValid(_ scenario: Scenario) async throws {
        let validator = try SchemaValidator()
        try await withSitemapSite(scenario) { client in
            let index = try await client.get("/sitemap.xml")
            #expect(index.status == .ok)
            try validator.expectValid(index.body, against: .index, named: "/sitemap.xml")
            let locations = try XMLTree.parse(index.body).children(named: "sitemap").compactMap { $0.text("loc") }
            let paths = locations.map { String($0.dropFirst(site.count)) }
            #expect(paths.filter { $0.hasPrefix("/sitemaps/stories-") }.count == scenario.storySitemaps)
            #expect(paths.first == "/sitemaps/pages.xml" && paths.last == "/sitemaps/news.xml")
            var stories: [String] = []
            for path in paths {
                let response = try await client.get(path)
                #expect(response.status == .ok, "\(path)")
                let isNews = path == "/sitemaps/news.xml"
                try validator.expectValid(response.body, against: isNews ? .news : .urlset, named: path)
                let urls = try XMLTree.parse(response.body).children(named: "url")
                if path.hasPrefix("/sitemaps/stories-") { stories += urls.compactMap { $0.text("loc") } }
                if isNews { #expect(urls.filter { $0.child("news:news") != nil }.count == scenario.newsStories) }
            }
            // Across several files, still every published story exactly once.
            #expect(stories.count == Set(stories).count)
            #expect(stories.count == (scenario.demo ? 39 : 0))
        }
    }

    /// Proof that the check bites: each of these breaks the schema in one place, and xmllint must say so.
    @Test(arguments: [
        ("a <url> without <loc>", SitemapSchema.urlset, urlset("<url><lastmod>2025-02-08T04:00:00Z</lastmod></url>")),
        (
            "a lastmod that is not a W3C date", SitemapSchema.urlset,
            urlset("<url><loc>\(site)/articles/a</loc><lastmod>08.02.2025</lastmod></url>")
        ),
        (
            "lastmod before loc", SitemapSchema.urlset,
            urlset("<url><lastmod>2025-02-08</lastmod><loc>\(site)/articles/a</loc></url>")
        ),
        ("an empty urlset", SitemapSchema.urlset, urlset("")),
        (
            "a <url> in a sitemap index", SitemapSchema.index,
            sitemapIndex("<url><loc>\(site)/sitemaps/pages.xml</loc></url>")
        ),
        ("news without a publication date", SitemapSchema.news, newsSitemap(publicationDate: nil, language: "en")),
        (
            "news in a language that is not ISO 639", SitemapSchema.news,
            newsSitemap(publicationDate: "2026-11-28T11:45:00Z", language: "English")
        ),
    ])
    func brokenSitemapsAreRejected(what: String, schema: SitemapSchema, document: String) throws {
        let validator = try SchemaValidator()
        let result = try validator.validate(document, against: schema)
        #expect(result.status != 0, "xmllint accepted \(what)")
        #expect(result.errors.contains("fails to validate"), "\(what): \(result.errors)")
    }

    @Test func aWellFormedNewsSitemapIsAccepted() throws {
        // The control for the broken news sitemaps above: the same document with both fields right.
        let result = try SchemaValidator().validate(
            newsSitemap(publicationDate: "2026-11-28T11:45:00Z", language: "en"), against: .news)
        #expect(result.status == 0, "\(result.errors)")
    }
}

/// Which schema a document must match.
enum SitemapSchema: String, Sendable {
    case index = "siteindex.xsd"
    case urlset = "sitemap.xsd"
    /// sitemap.xsd and Google's sitemap-news.xsd together (our wrapper), so news elements are checked strictly.
    case news = "news-sitemap.xsd"
}

/// Runs `xmllint --schema` on a document; fails the test, rather than skipping it, when xmllint is missing.
struct SchemaValidator {
    let xmllint: URL
    let schemas: URL

    init() throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = path.split(separator: ":").map {
            URL(fileURLWithPath: String($0)).appendingPathComponent("xmllint")
        }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        guard let found else {
            throw XmllintMissing()
        }
        xmllint = found
        schemas = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/sitemap-schemas")
    }

    struct XmllintMissing: Error, CustomStringConvertible {
        var description: String {
            "xmllint is not installed, so the sitemaps cannot be checked against their schemas: apt-get install libxml2-utils"
        }
    }

    /// xmllint's exit status (0 when valid) and what it printed on stderr.
    func validate(_ document: String, against schema: SitemapSchema) throws -> (status: Int32, errors: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "caravan-sitemap-\(UUID().uuidString).xml")
        try Data(document.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = xmllint
        // --nonet: the schemas import each other by relative path, never from the network.
        process.arguments = [
            "--nonet", "--noout", "--schema", schemas.appendingPathComponent(schema.rawValue).path, file.path,
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Read before waiting, so a long error report cannot fill the pipe and stall xmllint.
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    func expectValid(
        _ document: String, against schema: SitemapSchema, named name: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let result = try validate(document, against: schema)
        #expect(
            result.status == 0,
            "\(name) does not match \(schema.rawValue):\n\(result.errors)\n\(document.prefix(2000))",
            sourceLocation: sourceLocation)
    }
}

/// The real application on an in-memory database, with the sitemap size the scenario asks for.
private func withSitemapSite(
    _ scenario: SitemapSchemaTests.Scenario, _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    let database = try SQLiteDatabase.inMemory()
    let now = scenario.now
    let store = SQLiteArticleStore(database: database, clock: { now })
    let zone = TimeZone(identifier: "Asia/Almaty")!
    let rateStore = SQLiteRateStore(database: database)
    let desk = RateDesk(store: rateStore, timeZone: zone)
    if scenario.demo { try await DemoContent.installIfEmpty(into: store, timeZone: zone) }
    var configuration = SiteConfiguration()
    configuration.storiesPerSitemap = scenario.storiesPerSitemap
    let app = try await buildApplication(
        SiteDependencies(
            store: store, search: SQLiteSearchIndex(database: database, timeZone: zone), rates: desk,
            configuration: configuration, clock: { now }))
    try await app.test(.router) { client in try await body(client) }
}

private func urlset(_ urls: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\(urls)</urlset>
    """
}

private func sitemapIndex(_ entries: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\(entries)</sitemapindex>
    """
}

private func newsSitemap(publicationDate: String?, language: String) -> String {
    let date = publicationDate.map { "<news:publication_date>\($0)</news:publication_date>" } ?? ""
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
        <url><loc>\(site)/articles/a</loc><news:news>
        <news:publication><news:name>Caravan</news:name><news:language>\(language)</news:language></news:publication>
        \(date)<news:title>A story</news:title>
        </news:news></url>
        </urlset>
        """
}

import CaravanCore
import CaravanImport
import CaravanPostgres
import CaravanSQLite
import CaravanStorage
import Foundation
import Testing

/// The old site's addresses on every engine, and a WordPress export imported into each.
@Suite("RedirectStore contract")
struct RedirectStoreContractTests {
    struct Stores: Sendable {
        let redirects: any RedirectStore
        let articles: any ArticleStore
    }
    typealias Backend = StorageBackend<Stores>

    static let backends = Backend.all(
        sqlite: { Stores(redirects: SQLiteRedirectStore(database: $0), articles: SQLiteArticleStore(database: $0)) },
        postgres: { Stores(redirects: PostgresRedirectStore(database: $0), articles: PostgresArticleStore(database: $0)) })

    @Test(arguments: backends) func redirectsAreKeptByOldAddressAndAReRunRepointsThem(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            try await stores.redirects.saveRedirects([
                Redirect(from: "/2024/05/slug", to: "/articles/slug"), Redirect(from: "/?p=7", to: "/articles/slug"),
                Redirect(from: "/tag/water", to: "/tags/water"),
            ])
            #expect(try await stores.redirects.redirect(from: "/?p=7") == "/articles/slug")
            #expect(try await stores.redirects.redirect(from: "/?p=8") == nil)
            try await stores.redirects.saveRedirects([Redirect(from: "/?p=7", to: "/articles/slug-2")])
            #expect(try await stores.redirects.redirect(from: "/?p=7") == "/articles/slug-2")
            #expect(try await stores.redirects.redirects().map(\.from) == ["/2024/05/slug", "/?p=7", "/tag/water"].sorted())
            let many = (0..<2_500).map { Redirect(from: "/old/\($0)", to: "/articles/\($0)") }
            try await stores.redirects.saveRedirects(many)
            #expect(try await stores.redirects.redirects().count == 2_503)
        }
    }

    @Test(arguments: backends) func aWordPressExportImportsAlike(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("wxr-\(UUID().uuidString).xml")
            try Data(
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
                <channel><title>T</title><link>https://t.example</link><wp:base_site_url>https://t.example</wp:base_site_url>
                <item><title>First</title><link>https://t.example/first/</link><content:encoded><![CDATA[One.\n\nTwo.]]></content:encoded>
                <wp:post_id>1</wp:post_id><wp:post_date_gmt>2024-01-01 00:00:00</wp:post_date_gmt><wp:post_name>first</wp:post_name>
                <wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
                <item><title>Later</title><content:encoded>Soon.</content:encoded><wp:post_id>2</wp:post_id>
                <wp:post_date_gmt>2031-01-01 00:00:00</wp:post_date_gmt><wp:post_name>later</wp:post_name>
                <wp:status>future</wp:status><wp:post_type>post</wp:post_type></item>
                </channel></rss>
                """.utf8
            ).write(to: file)
            let importer = WXRImporter(
                articles: stores.articles, redirects: stores.redirects, timeZone: TimeZone(identifier: "UTC")!, addPhotograph: nil)
            let report = try await importer.importFile(at: file.path, uploads: nil, strict: false, dryRun: false)
            #expect(report.stories == .init(imported: 2, updated: 0, skipped: 0))
            let first = try #require(try await stores.articles.article(id: "wp-t.example-1"))
            #expect(first.bodyHTML.contains("<p>One.</p>") && first.bodyHTML.contains("<p>Two.</p>"))
            #expect(try await stores.articles.article(id: "wp-t.example-2")?.status == .scheduled)
            #expect(try await stores.redirects.redirect(from: "/first") == "/articles/first")
            #expect(try await stores.redirects.redirect(from: "/?p=1") == "/articles/first")
            let again = try await importer.importFile(at: file.path, uploads: nil, strict: false, dryRun: false)
            #expect(again.stories == .init(imported: 0, updated: 2, skipped: 0))
            #expect(try await stores.articles.count() == 2)
        }
    }
}

import CaravanApp
import CaravanCore
import CaravanSearch
import CaravanStorage
import CaravanTools
import Foundation
import Testing

/// `caravan copy`: every table arrives, counts are checked, and a second run changes nothing.
@Suite("Copying a database")
struct DatabaseCopyTests {
    /// A site with stories, a newsroom account, a revision, a redirect and rates.
    static func furnish(_ stores: Stores) async throws {
        _ = try await stores.articles.save([
            ArticleSubmission(
                id: "water", title: "Toktogul reservoir fills early", body: "The reservoir was full by June.",
                published: Date(timeIntervalSince1970: 1_760_000_000), section: "Energy", countries: [.kyrgyzstan],
                tags: ["water", "energy"], author: "Bakyt Osmonov"),
            ArticleSubmission(
                id: "cotton", title: "Cotton harvest ends", body: "Pickers finished in October.",
                published: Date(timeIntervalSince1970: 1_760_100_000), section: "Economy", countries: [.uzbekistan]),
        ])
        let editor = try await stores.accounts.addAccount(
            email: "editor@caravan.test", name: "Timur Bekov", role: .editor, passwordHash: "$2b$04$hash", now: Date())
        let story = try #require(try await stores.newsroom.story(id: "water"))
        var content = story.content
        content.slug = "toktogul-full"
        _ = try await stores.newsroom.save(
            StoryChange(id: "water", content: content, status: .published, action: .edited, editor: editor, basedOn: story.revision),
            now: Date(timeIntervalSince1970: 1_760_200_000))
        _ = try await stores.rates.save(
            [Rate(currency: .kgs, perUSD: Decimal(string: "87.45")!, effectiveDate: Day(iso: "2026-05-24")!, source: .nbkr)],
            fetchedAt: Date())
    }

    static func temporaryFile() throws -> (URL, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return (folder, folder.appendingPathComponent("site.sqlite").path)
    }

    @Test("SQLite to SQLite: everything arrives, counts verify, and a second run changes nothing")
    func sqliteToSQLite() async throws {
        let (sourceFolder, sourcePath) = try Self.temporaryFile()
        let (targetFolder, targetPath) = try Self.temporaryFile()
        defer {
            try? FileManager.default.removeItem(at: sourceFolder)
            try? FileManager.default.removeItem(at: targetFolder)
        }
        let zone = TimeZone(identifier: "Asia/Almaty")!
        try await Stores.with(.sqlite(path: sourcePath), timeZone: zone) { try await Self.furnish($0) }

        let first = try await DatabaseCopy.copy(from: .sqlite(path: sourcePath), to: .sqlite(path: targetPath))
        #expect(first.allSatisfy { $0.verified })
        #expect(first.first { $0.table == "article" }?.targetCount == 2)
        #expect(first.first { $0.table == "revision" }?.targetCount == 2, "the baseline and the edit")
        let again = try await DatabaseCopy.copy(from: .sqlite(path: sourcePath), to: .sqlite(path: targetPath))
        #expect(again.map(\.targetCount) == first.map(\.targetCount))

        try await Stores.with(.sqlite(path: targetPath), timeZone: zone) { stores in
            let story = try #require(try await stores.articles.article(slug: "toktogul-full"))
            #expect(story.tags.map(\.name) == ["water", "energy"])
            #expect(try await stores.newsroom.redirect(fromSlug: "toktogul-reservoir-fills-early") == "toktogul-full")
            #expect(try await stores.accounts.credentials(email: "editor@caravan.test")?.account.name == "Timur Bekov")
            #expect(try await stores.newsroom.revisions(of: "water").count == 2)
            // The target's own search index was filled as the rows arrived.
            let results = try await stores.search.search(SearchRequest(text: "reservoirs"))
            #expect(results.hits.map(\.teaser.id) == ["water"])
            #expect(try await stores.rates.count() == 1)
            // New stories get fresh numbers after the copied ones.
            _ = try await stores.articles.save([ArticleSubmission(id: "new", title: "A new story", body: "Text.")])
            #expect(try await stores.articles.count() == 3)
        }
    }

    @Test("copying a database onto itself is refused")
    func sameDatabase() async throws {
        await #expect(throws: CopyError.self) {
            _ = try await DatabaseCopy.copy(from: .sqlite(path: "/tmp/x.sqlite"), to: .sqlite(path: "/tmp/x.sqlite"))
        }
    }
}

import CaravanCore
import CaravanImport
import CaravanSQLite
import CaravanStorage
import Foundation
import Synchronization
import Testing

@Suite("Importing article JSON Lines")
struct ArticleImporterTests {
    let zone = TimeZone(identifier: "Asia/Almaty")!

    func file(_ lines: [String], extra: Data = Data()) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString).jsonl").path
        var data = Data(lines.joined(separator: "\n").utf8)
        data.append(extra)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    func importer() throws -> (ArticleImporter, any ArticleStore) {
        let store = SQLiteArticleStore(database: try SQLiteDatabase.inMemory())
        return (ArticleImporter(store: store, timeZone: zone, batchSize: 2), store)
    }

    static let good = [
        #"{"id":"1","title":"One","body":"First."}"#,
        #"{"id":"2","title":"Two","body":"Second.","countries":["KZ"]}"#,
        #"{"id":"3","title":"Three","body":"Third."}"#,
    ]

    @Test func badLinesAreSkippedWithTheirNumbersAndTheRestIsImported() async throws {
        let (importer, store) = try importer()
        let path = try file([
            Self.good[0], "{not json", Self.good[1], "", #"{"id":"4","title":"X","countries":["ZZ"]}"#,
            #"{"id":"5","title":"Y","published":"tomorrow"}"#, Self.good[2],
        ])
        let skipped = Mutex<[ArticleImporter.SkippedLine]>([])
        let report = try await importer.importFile(at: path, skipped: { line in skipped.withLock { $0.append(line) } })
        #expect(report.summary == "imported 3, updated 0, skipped 3")
        let lines = skipped.withLock { $0 }
        #expect(lines.map(\.number) == [2, 5, 6])
        #expect(lines[1].reason.contains("unknown country code \"ZZ\""))
        #expect(lines[2].reason.contains("published"))
        #expect(try await store.count() == 3)
    }

    @Test func aSecondRunUpdatesAndAddsNothing() async throws {
        let (importer, store) = try importer()
        let path = try file(Self.good)
        _ = try await importer.importFile(at: path)
        let again = try await importer.importFile(at: path)
        #expect(again.summary == "imported 0, updated 3, skipped 0")
        #expect(try await store.count() == 3)
    }

    @Test func strictWritesNothingWhenAnyLineIsBad() async throws {
        let (importer, store) = try importer()
        let path = try file(Self.good + ["{oops"])
        await #expect {
            _ = try await importer.importFile(at: path, strict: true)
        } throws: { error in
            "\(error)" == "1 bad line found; with --strict nothing was written"
        }
        #expect(try await store.count() == 0)
        let clean = try await importer.importFile(at: try file(Self.good), strict: true)
        #expect(clean.inserted == 3)
    }

    @Test func aHugeLineAndInvalidUTF8AreSkippedWithoutStoppingTheImport() async throws {
        let (importer, store) = try importer()
        var extra = Data("\n".utf8)
        extra.append(Data(#"{"id":"big","title":""#.utf8))
        extra.append(Data(repeating: UInt8(ascii: "a"), count: 20 * 1024 * 1024))
        extra.append(Data(#""}"#.utf8))
        extra.append(Data("\n".utf8))
        extra.append(Data([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D]))  // {"\xC3("}
        extra.append(Data("\n".utf8))
        extra.append(Data(Self.good[2].utf8))
        let path = try file([Self.good[0], Self.good[1]], extra: extra)
        let skipped = Mutex<[ArticleImporter.SkippedLine]>([])
        let report = try await importer.importFile(at: path, skipped: { line in skipped.withLock { $0.append(line) } })
        #expect(report.summary == "imported 3, updated 0, skipped 2")
        let lines = skipped.withLock { $0 }
        #expect(lines.map(\.number) == [3, 4])
        #expect(lines[0].reason.contains("over the 8 MB limit"))
        #expect(lines[1].reason.contains("not valid UTF-8"))
        #expect(try await store.count() == 3)
    }

    @Test func aMissingFileIsOneClearSentence() async throws {
        let (importer, _) = try importer()
        await #expect {
            _ = try await importer.importFile(at: "/nonexistent/stories.jsonl")
        } throws: { error in
            "\(error)" == "cannot read /nonexistent/stories.jsonl: no such file"
        }
    }

    @Test func aDatabaseInAMissingFolderIsOneClearSentence() {
        #expect {
            _ = try SQLiteDatabase.open(path: "/nonexistent-folder/caravan.sqlite")
        } throws: { error in
            "\(error)" == "cannot open the database /nonexistent-folder/caravan.sqlite: the folder /nonexistent-folder does not exist"
        }
    }
}

/// A store whose disk fills up after `allowedSaves` batches.
final class FillingStore: ArticleStore {
    let inner: any ArticleStore
    let allowedSaves: Int
    let saves = Mutex(0)

    init(inner: any ArticleStore, allowedSaves: Int) {
        self.inner = inner
        self.allowedSaves = allowedSaves
    }

    func save(_ submissions: [ArticleSubmission]) async throws -> SaveSummary {
        let count = saves.withLock { $0 += 1; return $0 }
        if count > allowedSaves { throw StorageError.unavailable(reason: "the disk holding the database is full") }
        return try await inner.save(submissions)
    }
    func article(slug: String) async throws -> Article? { try await inner.article(slug: slug) }
    func article(id: Article.ID) async throws -> Article? { try await inner.article(id: id) }
    func slugs(of ids: [Article.ID]) async throws -> [Article.ID: String] { try await inner.slugs(of: ids) }
    func listing(_ listing: Listing, page: Int, perPage: Int) async throws -> ListingPage? {
        try await inner.listing(listing, page: page, perPage: perPage)
    }
    func articles(_ query: ArticleQuery) async throws -> ArticleQueryPage { try await inner.articles(query) }
    func related(to article: Article, limit: Int) async throws -> [Teaser] { try await inner.related(to: article, limit: limit) }
    func latestByCountry(limit: Int) async throws -> [Country: [Teaser]] { try await inner.latestByCountry(limit: limit) }
    func sections() async throws -> [Section] { try await inner.sections() }
    func count() async throws -> Int { try await inner.count() }
    func contentVersion() async throws -> Int64 { try await inner.contentVersion() }
    func publishedCount() async throws -> Int { try await inner.publishedCount() }
    func sitemapEntries(offset: Int, limit: Int) async throws -> [SitemapEntry] {
        try await inner.sitemapEntries(offset: offset, limit: limit)
    }
    func sitemapEntries(publishedFrom from: Date, to: Date, limit: Int) async throws -> [SitemapEntry] {
        try await inner.sitemapEntries(publishedFrom: from, to: to, limit: limit)
    }
}

@Suite("An import that the store stops")
struct InterruptedImportTests {
    @Test func theMessageNamesTheLineAndWhatWasCommitted() async throws {
        let inner = SQLiteArticleStore(database: try SQLiteDatabase.inMemory())
        let store = FillingStore(inner: inner, allowedSaves: 2)
        let importer = ArticleImporter(store: store, timeZone: TimeZone(identifier: "Asia/Almaty")!, batchSize: 2)
        let lines = (1...9).map { #"{"id":"\#($0)","title":"Story \#($0)","body":"Text."}"# }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("full-\(UUID().uuidString).jsonl").path
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try await importer.importFile(at: path)
            Issue.record("the import did not report the full disk")
        } catch let failure as ArticleImporter.Failure {
            #expect(
                failure.description
                    == "the import stopped at line 5: lines 5–6 and after were not written (the disk holding the database is full); "
                    + "everything before line 5 is stored: imported 4, updated 0, skipped 0")
        }
        #expect(try await inner.count() == 4)
    }
}

@Suite("Markdown that once took the process down")
struct PathologicalImportTests {
    @Test func tenThousandBracketsBetweenTwoGoodLinesImportAllThree() async throws {
        let store = SQLiteArticleStore(database: try SQLiteDatabase.inMemory())
        let importer = ArticleImporter(store: store, timeZone: TimeZone(identifier: "Asia/Almaty")!)
        let brackets = String(repeating: "[", count: 10_000)
        let lines = [
            #"{"id":"1","title":"Before","body":"Fine."}"#,
            #"{"id":"2","title":"Brackets","body":"\#(brackets)"}"#,
            #"{"id":"3","title":"After","body":"Fine too."}"#,
        ]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("brackets-\(UUID().uuidString).jsonl").path
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        let report = try await importer.importFile(at: path)
        #expect(report.summary == "imported 3, updated 0, skipped 0")
        let stored = try #require(try await store.article(id: "2"))
        #expect(stored.bodyHTML == "<p>\(brackets)</p>\n")
    }
}

@Suite("Upgrading a database whose bodies Ink rendered")
struct RerenderMigrationTests {
    @Test func everyStoredBodyIsRenderedAgainOnce() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rerender-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.sqlite").path
        do {
            let database = try SQLiteDatabase.open(path: path)
            let store = SQLiteArticleStore(database: database)
            _ = try await store.save([
                ArticleSubmission(id: "old", title: "Old", body: "Shares of <DD.N> rose.\n\nA second paragraph.")
            ])
            // What Ink wrote for it, and a database from before the migration.
            try await database.writer.write { db in
                try db.execute(sql: "UPDATE article SET body_html = '<p>Shares of <dd> rose.\n\nA second paragraph.</p>'")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = '008 bodies by cmark-gfm'")
            }
        }
        let reopened = SQLiteArticleStore(database: try SQLiteDatabase.open(path: path))
        let story = try #require(try await reopened.article(id: "old"))
        #expect(story.bodyHTML == "<p>Shares of &lt;DD.N&gt; rose.</p>\n<p>A second paragraph.</p>\n")
        // Searchable by the text Ink had lost.
        let found = try await SQLiteSearchIndex(database: try SQLiteDatabase.open(path: path), timeZone: TimeZone(identifier: "Asia/Almaty")!)
            .search(SearchRequest(text: "DD.N"))
        #expect(found.range.total == 1)
    }
}

@Suite("A line's featured photograph")
struct ArticleImportPhotographTests {
    @Test("a known media id becomes the story's featured photograph; an unknown one skips the line with the reason")
    func image() async throws {
        let database = try SQLiteDatabase.inMemory()
        let store = SQLiteArticleStore(database: database)
        let media = SQLiteMediaStore(database: database)
        _ = try await media.add(
            MediaUpload(
                id: "a1b2c3d4e5f6", file: String(repeating: "ab", count: 12), alt: "Yurts", caption: "", credit: "",
                width: 10, height: 10, uploaded: Date(timeIntervalSince1970: 0),
                files: [MediaFile(name: "320.jpg", format: .jpeg, width: 10, height: 10, bytes: [1])]))
        let importer = ArticleImporter(
            store: store, timeZone: TimeZone(identifier: "UTC")!,
            photographExists: { try await media.item(id: $0) != nil })
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("image-\(UUID().uuidString).jsonl").path
        try Data(
            [
                #"{"id":"p1","title":"With a photograph","body":"Text.","image":"a1b2c3d4e5f6"}"#,
                #"{"id":"p2","title":"With a missing one","body":"Text.","image":"ffffffffffff"}"#,
                #"{"id":"p3","title":"With a bad id","body":"Text.","image":"../x"}"#,
            ].joined(separator: "\n").utf8
        ).write(to: URL(fileURLWithPath: path))
        let skipped = Mutex<[ArticleImporter.SkippedLine]>([])
        let report = try await importer.importFile(at: path, skipped: { line in skipped.withLock { $0.append(line) } })
        #expect(report.summary == "imported 1, updated 0, skipped 2")
        let reasons = skipped.withLock { $0.map { "\($0.number): \($0.reason)" } }
        #expect(reasons == [
            "2: field \"image\": there is no photograph ffffffffffff in the media library (add it with caravan media add)",
            "3: field \"image\": \"../x\" is not a media library id (caravan media add prints one)",
        ])
        let story = try #require(try await store.article(slug: "with-a-photograph"))
        #expect(story.image?.media == "a1b2c3d4e5f6")
        #expect(try await media.uses(id: "a1b2c3d4e5f6").map(\.slug) == ["with-a-photograph"])
    }
}

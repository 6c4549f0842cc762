import CaravanCore
@testable import CaravanSQLite
@testable import CaravanStorage
import Foundation
import GRDB
import Testing

/// What only SQLite has to prove: several processes on one file, and the migration of stories stored before it.
@Suite("SQLite newsroom")
struct SQLiteNewsroomTests {
    typealias N = Newsroom

    /// A fresh database file, removed with its WAL files and the marker Caravan leaves beside it when the test is done.
    static func withTemporaryFile(_ body: (String) async throws -> Void) async throws {
        let name = "newsroom-\(UUID().uuidString).sqlite"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory.appendingPathComponent(".\(name).caravan"))
        }
        try await body(path)
    }

    @Test func twoProcessesPublishingAtOncePublishEachStoryOnce() async throws {
        try await Self.withTemporaryFile { path in
            let first = try SQLiteDatabase.open(path: path)
            let second = try SQLiteDatabase.open(path: path)
            let accounts = SQLiteAccountStore(database: first)
            let editor = try await accounts.addAccount(
                email: "dana@caravan.example", name: "Dana", role: .editor, passwordHash: "h", now: N.day(0))
            let newsroom = SQLiteNewsroomStore(database: first)
            let ids = (1...12).map { Article.ID("s\($0)") }
            for id in ids {
                _ = try await newsroom.save(
                    StoryChange(
                        id: id, content: N.content("Story \(id)"), status: .scheduled, publishAt: N.day(3), action: .scheduled,
                        editor: editor, basedOn: nil),
                    now: N.day(1))
            }

            async let fromFirst = SQLiteNewsroomStore(database: first).publishDue(now: N.day(4))
            async let fromSecond = SQLiteNewsroomStore(database: second).publishDue(now: N.day(4))
            let (a, b) = try await (fromFirst, fromSecond)

            #expect((a + b).sorted { $0.rawValue < $1.rawValue } == ids.sorted { $0.rawValue < $1.rawValue }, "every story once")
            #expect(Set(a).isDisjoint(with: b))
            for id in ids {
                let revisions = try await SQLiteNewsroomStore(database: second).revisions(of: id)
                #expect(revisions.filter { $0.action == .publishedOnSchedule }.count == 1)
                #expect(revisions.map(\.number) == [2, 1])
            }
            let reader = SQLiteArticleStore(database: second)
            #expect(try await reader.publishedCount() == ids.count)
        }
    }

    @Test func storiesPublishedBeforeTheNewsroomCountAsFirstPublished() async throws {
        let queue = try DatabaseQueue()
        try SQLiteDatabase.migrator.migrate(queue, upTo: "004 search facts")
        try await queue.write { db in
            for (id, status, published) in [("p", "published", 1_700_000_000), ("d", "draft", 1_700_000_100)] {
                try db.execute(
                    sql: """
                        INSERT INTO article (id, slug, title, standfirst, body, body_html, body_text, excerpt, language,
                            status, published_at, updated_at, created_at, source_hash)
                        VALUES (?, ?, 'T', '', 'B', '<p>B</p>', 'B', 'B', 'en', ?, ?, ?, ?, 'x')
                        """, arguments: [id, id, status, published, published, published])
            }
        }
        let database = try SQLiteDatabase(writer: queue)
        let newsroom = SQLiteNewsroomStore(database: database)
        #expect(try await newsroom.story(id: "p")?.firstPublished == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(try await newsroom.story(id: "d")?.firstPublished == nil)
        #expect(try await newsroom.story(id: "p")?.revision == 0)
        #expect(try await SQLiteArticleStore(database: database).article(slug: "p")?.image == nil)
    }
}

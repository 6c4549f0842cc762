import CaravanCore
@testable import CaravanPostgres
@testable import CaravanStorage
import Foundation
import Testing

/// What only PostgreSQL has to prove: several instances on one database, and the migration of stories stored before
/// the newsroom.
@Suite("PostgreSQL newsroom", .enabled(if: PostgresTestServer.isAvailable))
struct PostgresNewsroomTests {
    typealias N = Newsroom

    @Test func twoInstancesPublishingAtOncePublishEachStoryOnce() async throws {
        try await PostgresTestServer.withEmptyDatabase { url in
            try await PostgresDatabase.withDatabase(url: url) { first in
                try await PostgresDatabase.withDatabase(url: url) { second in
                    let editor = try await PostgresAccountStore(database: first).addAccount(
                        email: "dana@caravan.example", name: "Dana", role: .editor, passwordHash: "h", now: N.day(0))
                    let newsroom = PostgresNewsroomStore(database: first)
                    let ids = (1...12).map { Article.ID("s\($0)") }
                    for id in ids {
                        _ = try await newsroom.save(
                            StoryChange(
                                id: id, content: N.content("Story \(id)"), status: .scheduled, publishAt: N.day(3),
                                action: .scheduled, editor: editor, basedOn: nil),
                            now: N.day(1))
                    }

                    async let fromFirst = PostgresNewsroomStore(database: first).publishDue(now: N.day(4))
                    async let fromSecond = PostgresNewsroomStore(database: second).publishDue(now: N.day(4))
                    let (a, b) = try await (fromFirst, fromSecond)

                    #expect(
                        (a + b).sorted { $0.rawValue < $1.rawValue } == ids.sorted { $0.rawValue < $1.rawValue },
                        "every story once")
                    #expect(Set(a).isDisjoint(with: b))
                    for id in ids {
                        let revisions = try await PostgresNewsroomStore(database: second).revisions(of: id)
                        #expect(revisions.filter { $0.action == .publishedOnSchedule }.count == 1)
                        #expect(revisions.map(\.number) == [2, 1])
                    }
                    #expect(try await PostgresArticleStore(database: second).publishedCount() == ids.count)
                }
            }
        }
    }

    @Test func storiesPublishedBeforeTheNewsroomCountAsFirstPublished() async throws {
        try await PostgresTestServer.withEmptyDatabase { url in
            // The schema as it stood before "005 newsroom", with a published story and a draft in it.
            let database = try PostgresDatabase(url: url)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await database.client.run() }
                defer { group.cancelAll() }
                try await database.client.withConnection { connection in
                    try await connection.execute(
                        "CREATE TABLE schema_migration (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
                        logger: database.logger)
                    for migration in PostgresSchema.migrations.prefix(while: { $0.name != "005 newsroom" }) {
                        try await migration.apply(connection, database.logger)
                        try await connection.execute(
                            "INSERT INTO schema_migration (name, applied_at) VALUES (\(migration.name), 0)",
                            logger: database.logger)
                    }
                    for (id, status, published) in [("p", "published", 1_700_000_000), ("d", "draft", 1_700_000_100)] {
                        try await connection.execute(
                            """
                            INSERT INTO article (id, slug, title, standfirst, body, body_html, body_text, excerpt,
                                language, status, published_at, updated_at, created_at, source_hash)
                            VALUES (\(id), \(id), 'T', '', 'B', '<p>B</p>', 'B', 'B', 'en', \(status), \(published),
                                \(published), \(published), 'x')
                            """, logger: database.logger)
                    }
                }
            }
            try await PostgresDatabase.withDatabase(url: url) { database in
                let newsroom = PostgresNewsroomStore(database: database)
                let published = try #require(try await newsroom.story(id: "p"))
                #expect(published.firstPublished == Date(timeIntervalSince1970: 1_700_000_000))
                #expect(published.revision == 0)
                #expect(try await newsroom.story(id: "d")?.firstPublished == nil)
                #expect(try await PostgresArticleStore(database: database).article(slug: "p")?.image == nil)
            }
        }
    }
}

@testable import CaravanApp
import CaravanCore
@testable import CaravanPostgres
@testable import CaravanStorage
import Foundation
import Testing

/// `--database-replica`: the reader's pages read from the replica, but never from one that has not caught up.
@Suite("PostgreSQL read replica")
struct PostgresReplicaTests {
    static func story(_ id: String) -> ArticleSubmission {
        ArticleSubmission(id: Article.ID(id), title: "Story \(id)", body: "Text of \(id).", published: Date(timeIntervalSince1970: 1_760_000_000))
    }

    @Test(.enabled(if: PostgresTestServer.isAvailable))
    func readsGoToTheReplicaOnlyWhenItHasCaughtUp() async throws {
        // Two separate databases stand in for a primary and its replica, so the test can tell where a read went.
        try await PostgresTestServer.withEmptyDatabase { primaryURL in
            try await PostgresTestServer.withEmptyDatabase { replicaURL in
                try await PostgresDatabase.withDatabase(url: replicaURL) { replica in
                    _ = try await PostgresArticleStore(database: replica).save([Self.story("on-the-replica")])
                    try await PostgresDatabase.withDatabase(url: primaryURL, replicaURL: replicaURL) { primary in
                        let store = PostgresArticleStore(database: primary)
                        _ = try await store.save([Self.story("on-the-primary")])
                        _ = try await store.save([Self.story("also-on-the-primary")])
                        // The replica's version is behind the primary's: pages come from the primary.
                        #expect(try await store.article(slug: "story-on-the-primary") != nil)
                        #expect(try await store.article(slug: "story-on-the-replica") == nil)
                        let search = PostgresSearchIndex(database: primary, timeZone: TimeZone(identifier: "UTC")!)
                        #expect(try await search.search(SearchRequest(text: "primary")).range.total == 2)

                        // Once the replica has replayed as far, pages come from it.
                        try await replica.write { connection in
                            try await connection.execute("UPDATE content_state SET version = version + 1000", logger: replica.logger)
                        }
                        #expect(try await store.article(slug: "story-on-the-replica") != nil)
                        #expect(try await store.article(slug: "story-on-the-primary") == nil)
                        // The newsroom's reads stay on the primary whatever the replica says.
                        #expect(try await store.article(id: "on-the-primary") != nil)
                    }
                }
            }
        }
    }

    @Test func aReplicaNeedsPostgreSQL() async throws {
        await #expect(throws: StorageError.self) {
            try await Stores.with(.sqlite(path: "/tmp/never.sqlite"), replica: .postgres("postgres://x@127.0.0.1/db"), timeZone: .current) { _ in }
        }
    }
}

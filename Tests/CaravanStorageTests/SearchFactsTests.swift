import CaravanCore
@testable import CaravanSQLite
@testable import CaravanStorage
import Foundation
import Testing

/// The FTS5 search's in-memory facts: read once per content version, even when many searches arrive together.
@Suite("Search facts")
struct SearchFactsTests {
    static func story(_ id: String, _ countries: [Country]) -> ArticleSubmission {
        ArticleSubmission(
            id: Article.ID(id), title: "Water talks \(id)", standfirst: "", body: "Ministers met about water.",
            published: Date(timeIntervalSince1970: 1_700_000_000), section: "Economy", countries: countries, tags: [],
            author: nil, slug: nil, status: .published)
    }

    @Test func searchesArrivingTogetherAfterAnEditReadTheFactsOnce() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-facts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A file, not memory: only a pool of readers lets the searches run at the same time.
        let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("facts.sqlite").path)
        let store = SQLiteArticleStore(database: database)
        let index = SQLiteSearchIndex(database: database, timeZone: TimeZone(identifier: "UTC")!)
        _ = try await store.save([Self.story("a", [.kazakhstan]), Self.story("b", [.kyrgyzstan])])

        func searchTogether() async throws -> [Int] {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        try await index.search(SearchRequest(text: "water", country: .kazakhstan)).range.total
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(try await searchTogether() == Array(repeating: 1, count: 16))
        #expect(index.facts.reads == 1)
        _ = try await store.save([Self.story("c", [.kazakhstan])])
        #expect(try await searchTogether() == Array(repeating: 2, count: 16))
        #expect(index.facts.reads == 2)
    }
}

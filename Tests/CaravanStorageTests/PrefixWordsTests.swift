import CaravanCore
@testable import CaravanSQLite
import CaravanSearch
@testable import CaravanStorage
import Foundation
import GRDB
import Testing

@Suite("A prefix's written words: one per stem, none the prefix already matches")
struct PrefixWordsTests {
    @Test(arguments: [
        ("electi", ["election"]),  // election, elections and electing share the stem "elect"
        ("market", []),  // markets and marketplace: their stems begin with "market" already
        ("ele", []),  // too short to expand
        ("zzzz", []),
    ])
    func writtenWordsOfAPrefix(prefix: String, expected: [String]) async throws {
        let database = try SQLiteDatabase.inMemory()
        let store = SQLiteArticleStore(database: database)
        let texts = [
            "The election was held", "Two elections", "Electing a speaker", "She was elected", "Markets fell",
            "A marketplace opened", "The election results", "Election day",
        ]
        _ = try await store.save(
            texts.enumerated().map { index, text in
                SearchIndexContractTests.story("s\(index)", text, body: text, day: index + 1)
            })
        let words = try await database.writer.read { db in
            try SQLiteSearchIndex.words(beginning: prefix, db: db, tokenizer: try SearchTokenizer(db))
        }
        #expect(words == expected)
    }
}

import CaravanTestSupport
import Testing

@testable import CaravanSearch

/// The two ways the archive index finds matches, posting lists walked side by side and tallied by slot, give the
/// same stories, flags and scores to the bit (FTS5 holds the first to its own answers elsewhere).
@Suite("Archive index: merged and tallied matches")
struct MergedMatchesTests {
    static let vocabulary = (0..<40).map { "w\($0)" } + ["the", "a", "of"]

    static func words(_ count: Int, _ generator: inout SeededGenerator) -> [String] {
        (0..<count).map { _ in vocabulary.randomElement(using: &generator)! }
    }

    static func phrase(_ generator: inout SeededGenerator) -> ArchiveIndex.Phrase {
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: ArchiveIndex.Phrase(tokens: words(2, &generator))
        case 1: ArchiveIndex.Phrase(tokens: ["w" + String(Int.random(in: 0...3, using: &generator))], isPrefix: true)
        case 2: ArchiveIndex.Phrase(tokens: ["absent"])
        default: ArchiveIndex.Phrase(tokens: words(1, &generator))
        }
    }

    @Test func bothWaysAgreeOnEveryQuery() {
        var generator = SeededGenerator(seed: 1_987)
        var index = ArchiveIndex((1...400).map { number in
            ArchiveIndex.Story(
                number: Int64(number),
                columns: [1...6, 0...8, 0...120].map { Self.words(Int.random(in: $0, using: &generator), &generator) })
        })
        // Free slots among the live ones, as edits leave them.
        for number in stride(from: 3, through: 400, by: 17) { index.remove(Int64(number)) }
        var manyLists = 0
        for _ in 0..<300 {
            let clauses = (0..<Int.random(in: 1...4, using: &generator)).map { _ in
                (0..<Int.random(in: 1...12, using: &generator)).map { _ in Self.phrase(&generator) }
            }
            let exclusions = (0..<Int.random(in: 0...2, using: &generator)).map { _ in Self.phrase(&generator) }
            let query = ArchiveIndex.Query(clauses: clauses, exclusions: exclusions)
            if clauses.joined().count > ArchiveIndex.mergedLists { manyLists += 1 }
            for ranking in [ArchiveIndex.Ranking.plainBM25(weights: ArchiveIndex.Ranking.site.weights), .site] {
                let merged = index.matches(query, ranking: ranking, mergingAtMost: .max).sorted { $0.number < $1.number }
                let tallied = index.matches(query, ranking: ranking, mergingAtMost: 0).sorted { $0.number < $1.number }
                #expect(merged.map(\.number) == tallied.map(\.number), "\(query)")
                #expect(merged.map(\.complete) == tallied.map(\.complete) && merged.map(\.leading) == tallied.map(\.leading))
                #expect(merged.map(\.score.bitPattern) == tallied.map(\.score.bitPattern), "\(query)")
            }
        }
        #expect(manyLists > 50, "queries with more lists than are merged")
    }
}

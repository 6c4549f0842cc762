import CaravanStorage
import CaravanTools
import Foundation
import Testing

@Suite("caravan eval on a small collection of our own")
struct SearchEvaluatorTests {
    func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: "Fixtures/eval/\(name)", withExtension: nil)).path
    }

    @Test func measuresTheSiteSearch() async throws {
        let reports = try await SearchEvaluator(timeZone: TimeZone(identifier: "UTC")!)
            .run(docs: try fixture("docs.jsonl"), queries: try fixture("queries.jsonl"), qrels: try fixture("qrels.txt"))
        #expect(reports.count == 1)
        let report = reports[0]
        #expect(report.queries == 3)
        #expect(report.map == 1)
        #expect(report.ndcg10 == 1)
        #expect(report.recall100 == 1)
        // q1 has two relevant stories, q2 and q3 one each: (2 + 1 + 1) / 10 / 3.
        #expect(abs(report.p10 - 4.0 / 30.0) < 1e-12)
        #expect(report.lines == ["map 1.0000", "ndcg@10 1.0000", "p@10 0.1333", "recall@100 1.0000", "queries 3"])
        #expect(report.run.first == "q1 Q0 d1 1 1000 caravan")
        #expect(report.run.contains("q2 Q0 d4 1 1000 caravan"))
    }

    @Test func theBaselineIsPlainFTS5BM25PrintedBesideTheSite() async throws {
        let reports = try await SearchEvaluator(timeZone: .gmt).run(
            docs: try fixture("docs.jsonl"), queries: try fixture("queries.jsonl"), qrels: try fixture("qrels.txt"),
            baseline: true)
        #expect(reports.count == 2)
        #expect(reports[1].queries == 3)
        #expect(reports[1].lines.map { $0.split(separator: " ")[0] } == ["bm25.map", "bm25.ndcg@10", "bm25.p@10", "bm25.recall@100", "bm25.queries"])
        #expect(reports[1].recall100 == 1)
    }

    @Test func aBadQueriesFileSaysWhichLine() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("queries-\(UUID()).jsonl").path
        try Data("{\"id\":\"q1\",\"text\":\"cotton\"}\n{\"id\":\"q2\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        await #expect {
            _ = try await SearchEvaluator(timeZone: .gmt).run(docs: try fixture("docs.jsonl"), queries: path, qrels: try fixture("qrels.txt"))
        } throws: { error in
            "\(error)" == "\(path), line 2: needs \"id\" and \"text\" strings"
        }
    }
}

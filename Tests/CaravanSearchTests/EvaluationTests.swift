import CaravanSearch
import Foundation
import Testing

@Suite("Retrieval measures")
struct EvaluationTests {
    let judgements: Evaluation.Judgements = ["a": 2, "b": 1, "c": 0, "d": 1]

    @Test func averagePrecision() {
        // Relevant at ranks 1 and 3 of the three relevant: (1/1 + 2/3) / 3.
        #expect(abs(Evaluation.averagePrecision(["a", "x", "b", "c"], judgements) - (1.0 + 2.0 / 3.0) / 3.0) < 1e-12)
        #expect(Evaluation.averagePrecision([], judgements) == 0)
        #expect(Evaluation.averagePrecision(["a", "b", "d"], judgements) == 1)
        #expect(Evaluation.averagePrecision(["a"], [:]) == 0)
    }

    @Test func precisionAndRecall() {
        #expect(Evaluation.precision(at: 10, ["a", "b", "c"], judgements) == 0.2)
        #expect(Evaluation.precision(at: 2, ["a", "b", "c"], judgements) == 1)
        #expect(Evaluation.recall(at: 100, ["a", "c"], judgements) == 1.0 / 3.0)
        #expect(Evaluation.recall(at: 1, ["c", "a"], judgements) == 0)
    }

    @Test func ndcg() {
        #expect(Evaluation.ndcg(at: 10, ["a", "b", "d"], judgements) == 1)
        let swapped = Evaluation.ndcg(at: 10, ["b", "a", "d"], judgements)
        let dcg = 1.0 + 2.0 / log2(3.0) + 1.0 / 2.0
        let ideal = 2.0 + 1.0 / log2(3.0) + 1.0 / 2.0
        #expect(abs(swapped - dcg / ideal) < 1e-12)
        #expect(Evaluation.ndcg(at: 10, ["x"], judgements) == 0)
    }

    @Test func qrels() throws {
        let parsed = try Evaluation.parseQrels("q1 0 a 2\nq1 0 b 0\n\nq2\t0\tc\t1\n")
        #expect(parsed == ["q1": ["a": 2, "b": 0], "q2": ["c": 1]])
        #expect(throws: Evaluation.FormatError.self) { try Evaluation.parseQrels("q1 0 a\n") }
    }
}

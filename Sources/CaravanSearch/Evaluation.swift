import Foundation

/// Retrieval quality measures over a ranked list and graded relevance judgements, as trec_eval computes them.
public enum Evaluation {
    /// Relevance grades for one query: document id → grade (0 means judged not relevant).
    public typealias Judgements = [String: Int]

    /// Average precision: the mean of the precision at each relevant document's rank, over all relevant documents.
    public static func averagePrecision(_ ranking: [String], _ judgements: Judgements) -> Double {
        let relevant = judgements.values.filter { $0 > 0 }.count
        guard relevant > 0 else { return 0 }
        var found = 0
        var sum = 0.0
        for (index, id) in ranking.enumerated() where (judgements[id] ?? 0) > 0 {
            found += 1
            sum += Double(found) / Double(index + 1)
        }
        return sum / Double(relevant)
    }

    /// Fraction of the first `k` results that are relevant (missing ranks count as not relevant).
    public static func precision(at k: Int, _ ranking: [String], _ judgements: Judgements) -> Double {
        guard k > 0 else { return 0 }
        let hits = ranking.prefix(k).filter { (judgements[$0] ?? 0) > 0 }.count
        return Double(hits) / Double(k)
    }

    /// Fraction of all relevant documents found in the first `k` results.
    public static func recall(at k: Int, _ ranking: [String], _ judgements: Judgements) -> Double {
        let relevant = judgements.values.filter { $0 > 0 }.count
        guard relevant > 0 else { return 0 }
        let hits = ranking.prefix(k).filter { (judgements[$0] ?? 0) > 0 }.count
        return Double(hits) / Double(relevant)
    }

    /// Normalised discounted cumulative gain at `k`, with the grade as gain and a log2(rank + 1) discount.
    public static func ndcg(at k: Int, _ ranking: [String], _ judgements: Judgements) -> Double {
        func dcg(_ gains: [Int]) -> Double {
            gains.prefix(k).enumerated().reduce(0.0) { $0 + Double($1.element) / log2(Double($1.offset + 2)) }
        }
        let ideal = dcg(judgements.values.filter { $0 > 0 }.sorted(by: >))
        guard ideal > 0 else { return 0 }
        return dcg(ranking.map { max(0, judgements[$0] ?? 0) }) / ideal
    }

    /// Reads TREC qrels lines, `QID ITERATION DOCID GRADE`; returns the judgements or says which line is bad.
    public static func parseQrels(_ text: String) throws -> [String: Judgements] {
        var result: [String: Judgements] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.isEmpty { continue }
            guard fields.count == 4, let grade = Int(fields[3]) else {
                throw FormatError(line: index + 1, message: "expected QID 0 DOCID REL, found “\(line.prefix(60))”")
            }
            result[String(fields[0]), default: [:]][String(fields[2])] = grade
        }
        return result
    }

    public struct FormatError: Error, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }
}

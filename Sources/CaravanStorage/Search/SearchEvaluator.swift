import CaravanCore
import CaravanSearch
import Foundation

/// Runs a test collection through the site's search: `caravan eval`.
public struct SearchEvaluator: Sendable {
    /// How deep each ranking goes, as in TREC runs.
    public static let depth = 1000

    public struct Report: Sendable {
        public var map = 0.0
        public var ndcg10 = 0.0
        public var p10 = 0.0
        public var recall100 = 0.0
        public var queries = 0
        /// TREC run lines: `QID Q0 DOCID RANK SCORE caravan`.
        public var run: [String] = []

        /// The `name value` lines CONTRACT asks for.
        public var lines: [String] {
            [
                "map \(Self.format(map))", "ndcg@10 \(Self.format(ndcg10))", "p@10 \(Self.format(p10))",
                "recall@100 \(Self.format(recall100))", "queries \(queries)",
            ]
        }

        static func format(_ value: Double) -> String { String(format: "%.4f", value) }
    }

    public enum Failure: Error, CustomStringConvertible {
        case cannotRead(path: String)
        case badQuery(path: String, line: Int, reason: String)
        case badQrels(path: String, reason: String)
        case badDocs(path: String, skipped: Int)

        public var description: String {
            switch self {
            case .cannotRead(let path): "cannot read \(path)"
            case .badQuery(let path, let line, let reason): "\(path), line \(line): \(reason)"
            case .badQrels(let path, let reason): "\(path), \(reason)"
            case .badDocs(let path, let skipped): "\(path): \(skipped) bad lines; fix them or remove them"
            }
        }
    }

    let timeZone: TimeZone

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// Evaluates in a private in-memory SQLite database: the evaluation never touches the site's data.
    public func run(docs: String, queries: String, qrels: String) async throws -> Report {
        try await run(docs: docs, queries: queries, qrels: qrels, in: .sqlite(try SQLiteDatabase.inMemory(), timeZone: timeZone))
    }

    /// Evaluates with the given (empty) stores, whichever engine holds them.
    public func run(docs: String, queries: String, qrels: String, in stores: Stores) async throws -> Report {
        let judgements: [String: Evaluation.Judgements]
        do {
            judgements = try Evaluation.parseQrels(try Self.read(qrels))
        } catch let error as Evaluation.FormatError {
            throw Failure.badQrels(path: qrels, reason: error.description)
        }
        let topics = try Self.parseQueries(try Self.read(queries), path: queries)
        let imported = try await ArticleImporter(store: stores.articles, timeZone: timeZone).importFile(at: docs)
        if imported.inserted + imported.updated == 0 { throw Failure.badDocs(path: docs, skipped: imported.skipped) }
        let index = stores.search

        var report = Report()
        for topic in topics {
            let results = try await index.search(SearchRequest(text: topic.text, perPage: Self.depth, sort: .relevance).withoutHighlights)
            let ranking = results.hits.map(\.teaser.id.rawValue)
            for (rank, id) in ranking.enumerated() {
                report.run.append("\(topic.id) Q0 \(id) \(rank + 1) \(Self.depth - rank) caravan")
            }
            guard let judged = judgements[topic.id], judged.values.contains(where: { $0 > 0 }) else { continue }
            report.queries += 1
            report.map += Evaluation.averagePrecision(ranking, judged)
            report.ndcg10 += Evaluation.ndcg(at: 10, ranking, judged)
            report.p10 += Evaluation.precision(at: 10, ranking, judged)
            report.recall100 += Evaluation.recall(at: 100, ranking, judged)
        }
        if report.queries > 0 {
            let count = Double(report.queries)
            report.map /= count
            report.ndcg10 /= count
            report.p10 /= count
            report.recall100 /= count
        }
        return report
    }

    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure.cannotRead(path: path) }
        return String(decoding: data, as: UTF8.self)
    }

    static func parseQueries(_ text: String, path: String) throws -> [(id: String, text: String)] {
        var topics: [(id: String, text: String)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw Failure.badQuery(path: path, line: index + 1, reason: "not a JSON object")
            }
            let id = (object["id"] as? String) ?? (object["id"] as? NSNumber)?.stringValue
            guard let id, let text = object["text"] as? String else {
                throw Failure.badQuery(path: path, line: index + 1, reason: "needs \"id\" and \"text\" strings")
            }
            topics.append((id, text))
        }
        return topics
    }
}

extension SearchRequest {
    var withoutHighlights: SearchRequest {
        var copy = self
        copy.highlights = false
        return copy
    }
}

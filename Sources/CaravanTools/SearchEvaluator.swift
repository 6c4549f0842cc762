import CaravanCore
import CaravanImport
import CaravanSQLite
import CaravanSearch
import CaravanStorage
import Foundation

/// Runs a test collection through the site's search: `caravan eval`.
public struct SearchEvaluator: Sendable {
    /// How deep each ranking goes, as in TREC runs.
    public static let depth = 1000

    public struct Report: Sendable {
        /// Prefixes the measures' names: "" for the site's search, "bm25." for the plain baseline.
        public var name = ""
        public var map = 0.0
        public var ndcg10 = 0.0
        public var p10 = 0.0
        public var recall100 = 0.0
        public var queries = 0
        /// TREC run lines: `QID Q0 DOCID RANK SCORE caravan`.
        public var run: [String] = []

        /// The `name value` lines `caravan eval` prints.
        public var lines: [String] {
            [
                "map \(Self.format(map))", "ndcg@10 \(Self.format(ndcg10))", "p@10 \(Self.format(p10))",
                "recall@100 \(Self.format(recall100))", "queries \(queries)",
            ].map { name + $0 }
        }

        mutating func add(_ ranking: [String], _ judged: Evaluation.Judgements) {
            queries += 1
            map += Evaluation.averagePrecision(ranking, judged)
            ndcg10 += Evaluation.ndcg(at: 10, ranking, judged)
            p10 += Evaluation.precision(at: 10, ranking, judged)
            recall100 += Evaluation.recall(at: 100, ranking, judged)
        }

        mutating func average() {
            guard queries > 0 else { return }
            let count = Double(queries)
            map /= count
            ndcg10 /= count
            p10 /= count
            recall100 /= count
        }

        static func format(_ value: Double) -> String { String(format: "%.4f", value) }
    }

    public enum Failure: Error, CustomStringConvertible {
        case cannotRead(path: String)
        case badQuery(path: String, line: Int, reason: String)
        case badQrels(path: String, reason: String)
        case badDocs(path: String, skipped: Int)
        case noStories(path: String)

        public var description: String {
            switch self {
            case .cannotRead(let path): "cannot read \(path)"
            case .badQuery(let path, let line, let reason): "\(path), line \(line): \(reason)"
            case .badQrels(let path, let reason): "\(path), \(reason)"
            case .badDocs(let path, let skipped): "\(path): \(skipped) bad lines; fix them or remove them"
            case .noStories(let path): "\(path): no line is a story in JSON; nothing to load"
            }
        }
    }

    let timeZone: TimeZone

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// Evaluates in a private in-memory SQLite database: the evaluation never touches the site's data. With
    /// `baseline`, the same queries also run as plain FTS5 BM25 (the words OR'ed, every column weighted 1), whose
    /// report comes second.
    public func run(docs: String, queries: String, qrels: String, baseline: Bool = false) async throws -> [Report] {
        let database = try SQLiteDatabase.inMemory()
        return try await run(
            docs: docs, queries: queries, qrels: qrels, in: .sqlite(database, timeZone: timeZone),
            baseline: baseline ? Self.plainBM25(database) : nil)
    }

    /// The ids of the stories plain FTS5 BM25 ranks first for a query: the reference a ranking must beat.
    static func plainBM25(_ database: SQLiteDatabase) -> @Sendable (String) async throws -> [String] {
        { text in
            guard let any = FTS5Query(parsing: text).matchAny else { return [] }
            return try await database.writer.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT a.id FROM article_search JOIN article a ON a.number = article_search.rowid
                        WHERE article_search MATCH ? ORDER BY bm25(article_search), a.number DESC LIMIT ?
                        """, arguments: [any, depth])
            }
        }
    }

    /// Evaluates with the given (empty) stores, whichever engine holds them.
    public func run(
        docs: String, queries: String, qrels: String, in stores: Stores,
        baseline: (@Sendable (String) async throws -> [String])? = nil
    ) async throws -> [Report] {
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
        var plain = Report(name: "bm25.")
        for topic in topics {
            let results = try await index.search(SearchRequest(text: topic.text, perPage: Self.depth, sort: .relevance).withoutHighlights)
            let ranking = results.hits.map(\.teaser.id.rawValue)
            for (rank, id) in ranking.enumerated() {
                report.run.append("\(topic.id) Q0 \(id) \(rank + 1) \(Self.depth - rank) caravan")
            }
            guard let judged = judgements[topic.id], judged.values.contains(where: { $0 > 0 }) else { continue }
            report.add(ranking, judged)
            if let baseline { plain.add(try await baseline(topic.text), judged) }
        }
        report.average()
        plain.average()
        return baseline == nil ? [report] : [report, plain]
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

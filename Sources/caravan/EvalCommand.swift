import ArgumentParser
import CaravanStorage
import CaravanTools
import Foundation

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Measure the site's search on a test collection (MAP, nDCG@10, P@10, recall@100).")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The documents, as article JSON Lines.")
    var docs: String

    @Option(help: "The queries, one {\"id\": ..., \"text\": ...} a line.")
    var queries: String

    @Option(help: "The judgements, TREC qrels lines: QID 0 DOCID REL.")
    var qrels: String

    @Option(name: .customLong("run"), help: "Also write a TREC run file here.")
    var runFile: String?

    @Flag(help: "Also run plain FTS5 BM25 (the words OR'ed, no field weights) and print its figures as bm25.NAME lines (SQLite only).")
    var baseline = false

    func run() async throws {
        try await reportingFailures {
            let timeZone = try global.resolvedTimeZone()
            let evaluator = SearchEvaluator(timeZone: timeZone)
            // The site's database is never touched: SQLite evaluates in memory, PostgreSQL in a scratch database.
            let reports: [SearchEvaluator.Report]
            let database = try global.settings().database
            if case .postgres = database {
                if baseline { throw CommandFailure("--baseline runs FTS5, so it needs the default SQLite database") }
                reports = try await ScratchDatabase.with(server: database, timeZone: timeZone) {
                    try await evaluator.run(docs: docs, queries: queries, qrels: qrels, in: $0.stores)
                }
            } else {
                reports = try await evaluator.run(docs: docs, queries: queries, qrels: qrels, baseline: baseline)
            }
            let report = reports[0]
            if let run = runFile {
                let text = report.run.joined(separator: "\n") + (report.run.isEmpty ? "" : "\n")
                guard FileManager.default.createFile(atPath: run, contents: Data(text.utf8)) else {
                    throw CommandFailure("cannot write the run file \(run)")
                }
            }
            for line in reports.flatMap(\.lines) { print(line) }
        }
    }
}

import ArgumentParser
import CaravanStorage
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

    func run() async throws {
        try await reportingFailures {
            let report = try await SearchEvaluator(timeZone: try global.resolvedTimeZone())
                .run(docs: docs, queries: queries, qrels: qrels)
            if let run = runFile {
                let text = report.run.joined(separator: "\n") + (report.run.isEmpty ? "" : "\n")
                guard FileManager.default.createFile(atPath: run, contents: Data(text.utf8)) else {
                    throw CommandFailure("cannot write the run file \(run)")
                }
            }
            for line in report.lines { print(line) }
        }
    }
}

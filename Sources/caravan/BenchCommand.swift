import ArgumentParser
import CaravanCore
import CaravanStorage
import CaravanWeb
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks that print figures.", subcommands: [Search.self])

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Load a corpus into a temporary database and time the site's search against bare FTS5.")

        @Option(help: "Article JSON Lines to load (for example ../shared/corpus/reuters-21578/articles.jsonl).")
        var corpus: String

        @Option(help: "How many stories to load; the corpus is repeated with new ids to reach it.")
        var articles: Int?

        @Option(help: "Timed runs of each query kind.")
        var iterations = 200

        func run() async throws {
            try await reportingFailures {
                guard iterations >= 10 else { throw CommandFailure("--iterations must be at least 10") }
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-bench-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: folder) }
                let expanded = folder.appendingPathComponent("corpus.jsonl").path
                let count = try SearchBenchmark.expandCorpus(corpus, to: articles, into: expanded)
                let database = try SQLiteDatabase.open(path: folder.appendingPathComponent("bench.sqlite").path)
                let timeZone = TimeZone(identifier: "Asia/Almaty")!
                let started = ContinuousClock.now
                let report = try await ArticleImporter(store: SQLiteArticleStore(database: database), timeZone: timeZone)
                    .importFile(at: expanded)
                print("loaded \(report.inserted) of \(count) stories in \(Self.seconds(ContinuousClock.now - started)) s (SQLite, FTS5)")
                let timings = try await SearchBenchmark(database: database, timeZone: timeZone)
                    .run(iterations: iterations) { results, text in try SearchJSON(results, text: text).jsonText().utf8.count }
                print("\(iterations) timed runs per kind; site = search + facets + snippets + JSON, bare = FTS5 MATCH + bm25 + ORDER BY + LIMIT")
                let header = ["kind", "query", "results", "site p50", "p95", "p99", "bare p50", "p95", "p99", "p50 ratio"]
                var rows = [header]
                for timing in timings {
                    let ratio = Double(timing.site.p50.components.attoseconds) / max(1, Double(timing.bare.p50.components.attoseconds))
                    rows.append([
                        timing.kind, timing.query, String(timing.results),
                        Self.ms(timing.site.p50), Self.ms(timing.site.p95), Self.ms(timing.site.p99),
                        Self.ms(timing.bare.p50), Self.ms(timing.bare.p95), Self.ms(timing.bare.p99),
                        String(format: "%.2f×", ratio),
                    ])
                }
                let widths = header.indices.map { column in rows.map { $0[column].count }.max()! }
                for row in rows {
                    print(row.enumerated().map { column, cell in
                        column < 2 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                            : String(repeating: " ", count: widths[column] - cell.count) + cell
                    }.joined(separator: "  "))
                }
            }
        }

        static func ms(_ duration: Duration) -> String {
            let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
            return String(format: "%.2f ms", value)
        }

        static func seconds(_ duration: Duration) -> String {
            String(format: "%.1f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
    }
}

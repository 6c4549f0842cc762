import ArgumentParser
import CaravanCore
import CaravanImport
import CaravanMedia
import CaravanStorage
import CaravanTools
import CaravanWeb
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks that print figures.", subcommands: [Search.self, Markdown.self, Media.self])

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

        @Option(help: "A postgres://USER@HOST:PORT/DB URL to benchmark PostgreSQL: a scratch database is made on that server and dropped afterwards. Default: a temporary SQLite file.")
        var database: String?

        @Option(help: "A postgres:// URL: load the corpus into a temporary SQLite file and a scratch database on that server, and time the two engines' site search alternately, instead of one engine against its bare query.")
        var versus: String?

        @Option(help: "Time only the kinds with this name (for example \"rare word\"), to profile one of them.")
        var kind: [String] = []

        func run() async throws {
            try await reportingFailures {
                guard iterations >= 10 else { throw CommandFailure("--iterations must be at least 10") }
                let names = SearchBenchmark.mix.map(\.name)
                if let unknown = kind.first(where: { !names.contains($0) }) {
                    throw CommandFailure("--kind “\(unknown)” is not one of: \(names.joined(separator: ", "))")
                }
                let kinds = kind.isEmpty ? SearchBenchmark.mix : SearchBenchmark.mix.filter { kind.contains($0.name) }
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-bench-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: folder) }
                let expanded = folder.appendingPathComponent("corpus.jsonl").path
                let count = try SearchBenchmark.expandCorpus(corpus, to: articles, into: expanded)
                let timeZone = TimeZone(identifier: "Asia/Almaty")!
                let server = try database.map { try DatabaseURL(parsing: $0) }
                let iterations = iterations
                if let versus {
                    let postgres = try DatabaseURL(parsing: versus)
                    guard case .postgres = postgres else { throw CommandFailure("--versus takes a postgres:// URL") }
                    guard database == nil else { throw CommandFailure("--versus compares with SQLite: leave --database out") }
                    try await Self.compareEngines(
                        expanded: expanded, count: count, postgres: postgres, kinds: kinds,
                        iterations: iterations, timeZone: timeZone)
                    return
                }
                let (timings, bare) = try await ScratchDatabase.with(server: server, timeZone: timeZone) { scratch in
                    let started = ContinuousClock.now
                    let report = try await ArticleImporter(store: scratch.stores.articles, timeZone: timeZone).importFile(at: expanded)
                    print("loaded \(report.inserted) of \(count) stories in \(Self.seconds(ContinuousClock.now - started)) s (\(scratch.stores.engine))")
                    let preparing = ContinuousClock.now
                    try await scratch.stores.search.prepare()
                    print("search index ready in \(Self.seconds(ContinuousClock.now - preparing)) s")
                    let timings = try await SearchBenchmark(index: scratch.stores.search, bare: scratch.bare)
                        .run(kinds, iterations: iterations) { results, text in SearchJSON(results, text: text).jsonBytes().count }
                    return (timings, scratch.bare.description)
                }
                print("\(iterations) timed runs per kind; site = search + facets + snippets + JSON, bare = \(bare)")
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
                Self.printTable(rows)
            }
        }

        /// The same stories on SQLite and on PostgreSQL, each engine's site search timed in turn.
        static func compareEngines(
            expanded: String, count: Int, postgres: DatabaseURL, kinds: [SearchBenchmark.Kind], iterations: Int,
            timeZone: TimeZone
        ) async throws {
            let timings = try await ScratchDatabase.with(server: nil, timeZone: timeZone) { sqlite in
                try await ScratchDatabase.with(server: postgres, timeZone: timeZone) { postgres in
                    for scratch in [sqlite, postgres] {
                        let started = ContinuousClock.now
                        let report = try await ArticleImporter(store: scratch.stores.articles, timeZone: timeZone)
                            .importFile(at: expanded)
                        let loaded = Self.seconds(ContinuousClock.now - started)
                        let preparing = ContinuousClock.now
                        try await scratch.stores.search.prepare()
                        print(
                            "\(scratch.stores.engine): loaded \(report.inserted) of \(count) stories in \(loaded) s, search index ready in \(Self.seconds(ContinuousClock.now - preparing)) s")
                    }
                    return try await SearchBenchmark.alternate(
                        sqlite.stores.search, postgres.stores.search, kinds: kinds, iterations: iterations
                    ) { results, text in SearchJSON(results, text: text).jsonBytes().count }
                }
            }
            print("\(iterations) timed runs per kind and engine, alternating; site = search + facets + snippets + JSON")
            let header = ["kind", "query", "results", "SQLite p50", "p95", "PostgreSQL p50", "p95", "p50 ratio"]
            var rows = [header]
            for timing in timings {
                let (sqlite, postgres) = (timing.times[0], timing.times[1])
                let ratio = Double(postgres.p50.components.attoseconds) / max(1, Double(sqlite.p50.components.attoseconds))
                rows.append([
                    timing.kind, timing.query,
                    timing.results[0] == timing.results[1] ? String(timing.results[0]) : "\(timing.results[0]) ≠ \(timing.results[1])",
                    Self.ms(sqlite.p50), Self.ms(sqlite.p95), Self.ms(postgres.p50), Self.ms(postgres.p95),
                    String(format: "%.2f×", ratio),
                ])
            }
            printTable(rows)
        }

        static func printTable(_ rows: [[String]]) {
            let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
            for row in rows {
                print(row.enumerated().map { column, cell in
                    column < 2 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: widths[column] - cell.count) + cell
                }.joined(separator: "  "))
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

extension BenchCommand {
    struct Markdown: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "markdown",
            abstract: "Render inputs that are pathological for Markdown renderers and print each one's time.")

        @Option(help: "Bytes of each pattern.")
        var bytes = 100_000

        @Option(help: "Renderings of each pattern; the median and the slowest are printed.")
        var iterations = 7

        func run() async throws {
            try await reportingFailures {
                guard bytes >= 1, iterations >= 1 else { throw CommandFailure("--bytes and --iterations must be at least 1") }
                print("pattern".padding(toLength: 34, withPad: " ", startingAt: 0) + "   bytes   median ms   of it cmark   slowest ms   html bytes")
                var worst = 0.0
                for pattern in MarkdownStress.patterns(bytes: bytes) {
                    var times: [Duration] = []
                    var cmarkTimes: [Duration] = []
                    var size = 0
                    for _ in 0..<iterations {
                        let started = ContinuousClock.now
                        size = ArticleBody.html(fromMarkdown: pattern.text).utf8.count
                        times.append(ContinuousClock.now - started)
                        let cmarkStarted = ContinuousClock.now
                        _ = ArticleBody.unsanitisedHTML(fromMarkdown: pattern.text)
                        cmarkTimes.append(ContinuousClock.now - cmarkStarted)
                    }
                    times.sort()
                    cmarkTimes.sort()
                    let median = times[times.count / 2]
                    let slowest = times[times.count - 1]
                    func ms(_ duration: Duration) -> Double {
                        Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1e3
                    }
                    worst = max(worst, ms(median))
                    print(
                        pattern.name.padding(toLength: 34, withPad: " ", startingAt: 0)
                            + String(
                                format: "%8d %11.2f %13.2f %12.2f %12d", pattern.text.utf8.count, ms(median),
                                ms(cmarkTimes[cmarkTimes.count / 2]), ms(slowest), size))
                }
                print(String(format: "slowest pattern at the median: %.2f ms", worst))
            }
        }
    }
}

extension BenchCommand {
    struct Media: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "media",
            abstract: "Process a photograph into every stored file, as an upload is, and print the time and peak memory.")

        @Argument(help: "A JPEG, PNG or WebP file (for example a 24-megapixel photograph).")
        var file: String

        @Option(help: "Times the file is processed; the median and the slowest are printed.")
        var iterations = 5

        func run() async throws {
            try await reportingFailures {
                guard iterations >= 1 else { throw CommandFailure("--iterations must be at least 1") }
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
                let rules = MediaRules(maximumBytes: 200 << 20)
                var times: [Double] = []
                var last: ProcessedImage?
                for _ in 0..<iterations {
                    let started = ContinuousClock.now
                    last = try ImageProcessor.process(bytes, rules: rules)
                    let elapsed = ContinuousClock.now - started
                    times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                }
                times.sort()
                guard let processed = last else { return }
                var usage = rusage()
                getrusage(RUSAGE_SELF.rawValue, &usage)
                let megapixels = Double(processed.width * processed.height) / 1e6
                print(String(format: "input: %@, %d × %d (%.1f megapixels), %d bytes", file, processed.width, processed.height, megapixels, bytes.count))
                for stored in processed.files {
                    print("  \(stored.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(stored.width) × \(stored.height)  \(stored.bytes.count) bytes")
                }
                print(String(format: "median %.3f s, slowest %.3f s over %d runs; peak resident memory %d MB", times[times.count / 2], times[times.count - 1], times.count, usage.ru_maxrss / 1024))
            }
        }
    }
}

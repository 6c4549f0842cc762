import CaravanCore
import CaravanSearch
import CaravanStorage
import Foundation
import GRDB

/// Times the site's search against the engine's bare query on the same index: `caravan bench search`.
public struct SearchBenchmark: Sendable {
    /// One kind of query in the fixed mix.
    public struct Kind: Sendable {
        public let name: String
        public let request: SearchRequest
    }

    /// A fixed mix of the kinds of search readers run, with words that occur in news wires (Reuters) and in the BBC corpus.
    public static let mix: [Kind] = [
        Kind(name: "common word", request: SearchRequest(text: "government")),
        Kind(name: "rare word", request: SearchRequest(text: "cocoa")),
        Kind(name: "two words", request: SearchRequest(text: "oil prices")),
        Kind(name: "phrase", request: SearchRequest(text: "\"interest rates\"")),
        Kind(name: "exclusion", request: SearchRequest(text: "bank -loans")),
        Kind(name: "country filter", request: SearchRequest(text: "trade", country: .kazakhstan)),
        Kind(name: "page 5", request: SearchRequest(text: "market", page: 5)),
        Kind(name: "newest first", request: SearchRequest(text: "dollar", sort: .newest)),
    ]

    public struct Timing: Sendable {
        public let kind: String
        public let query: String
        public let results: Int
        public let site: Percentiles
        public let bare: Percentiles
    }

    public struct Percentiles: Sendable {
        public let p50: Duration
        public let p95: Duration
        public let p99: Duration

        init(_ samples: [Duration]) {
            let sorted = samples.sorted()
            func at(_ fraction: Double) -> Duration {
                sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
            }
            p50 = at(0.50)
            p95 = at(0.95)
            p99 = at(0.99)
        }
    }

    let index: any SearchIndex
    let bare: BareSearch

    public init(index: any SearchIndex, bare: BareSearch) {
        self.index = index
        self.bare = bare
    }

    /// Runs every kind `iterations` times after a warm-up; `encode` turns results into what the API sends, so the
    /// site's side includes serialisation.
    public func run(_ kinds: [Kind] = mix, iterations: Int, encode: @Sendable (SearchResults, String) throws -> Int) async throws -> [Timing] {
        var timings: [Timing] = []
        let clock = ContinuousClock()
        try await index.prepare()
        try await index.prepare()
        for kind in kinds {
            var site: [Duration] = []
            var bare: [Duration] = []
            var results = 0
            for round in 0..<(iterations + iterations / 10) {
                let warmUp = round < iterations / 10
                let started = clock.now
                let answer = try await index.search(kind.request)
                _ = try encode(answer, kind.request.text)
                let siteTime = clock.now - started
                results = answer.range.total
                let bareStarted = clock.now
                try await self.bare(kind.request)
                let bareTime = clock.now - bareStarted
                if !warmUp {
                    site.append(siteTime)
                    bare.append(bareTime)
                }
            }
            timings.append(
                Timing(kind: kind.name, query: kind.request.text, results: results, site: Percentiles(site), bare: Percentiles(bare)))
        }
        return timings
    }

    /// Times two engines' site search over the same stories, alternating query by query so that both see the
    /// machine alike: `caravan bench search --versus`.
    public static func alternate(
        _ first: any SearchIndex, _ second: any SearchIndex, kinds: [Kind] = mix, iterations: Int,
        encode: @Sendable (SearchResults, String) throws -> Int
    ) async throws -> [(kind: String, query: String, results: [Int], times: [Percentiles])] {
        let clock = ContinuousClock()
        let indexes = [first, second]
        for index in indexes { try await index.prepare() }
        var timings: [(kind: String, query: String, results: [Int], times: [Percentiles])] = []
        for kind in kinds {
            var samples: [[Duration]] = [[], []]
            var results = [0, 0]
            for round in 0..<(iterations + iterations / 10) {
                for (n, index) in indexes.enumerated() {
                    let started = clock.now
                    let answer = try await index.search(kind.request)
                    _ = try encode(answer, kind.request.text)
                    if round >= iterations / 10 { samples[n].append(clock.now - started) }
                    results[n] = answer.range.total
                }
            }
            timings.append((kind.name, kind.request.text, results, samples.map(Percentiles.init)))
        }
        return timings
    }

    /// Writes the corpus, repeated with new ids until it holds `articles` stories, as JSON Lines for the importer.
    /// Stories get a country by their position (the corpora have none) so that the country filter has work to do.
    public static func expandCorpus(_ path: String, to articles: Int?, into output: String) throws -> Int {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SearchEvaluator.Failure.cannotRead(path: path)
        }
        let lines = data.split(separator: UInt8(ascii: "\n"))
        let target = articles ?? lines.count
        let countries = ["KZ", "KG", "TJ", "TM", "UZ", "AF"]
        var out = Data()
        var written = 0
        var copy = 0
        while written < target && !lines.isEmpty {
            let before = written
            for line in lines where written < target {
                guard var object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
                let id = (object["id"] as? String) ?? (object["id"] as? NSNumber)?.stringValue ?? "\(written)"
                object["id"] = copy == 0 ? id : "\(id)-copy\(copy)"
                object["countries"] = [countries[written % countries.count]]
                if copy > 0 { object.removeValue(forKey: "slug") }
                out.append(try JSONSerialization.data(withJSONObject: object))
                out.append(UInt8(ascii: "\n"))
                written += 1
            }
            // A corpus with no story that reads would otherwise be repeated for ever.
            if written == before { throw SearchEvaluator.Failure.noStories(path: path) }
            copy += 1
        }
        try out.write(to: URL(fileURLWithPath: output))
        return written
    }
}

import CaravanCore
import CaravanRates
import CaravanSQLite
import CaravanStorage
import CaravanWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A reader's search, typed key by key into the home page's search box of a real headless Chromium
/// (`scripts/browser-search`), against the application listening on a real port.
@Suite("Search typed into the box of a real browser")
struct BrowserSearchTests {
    static let stories: [ArticleSubmission] = [
        story("oil-prices", title: "Government caps fuel prices", day: 1, body: "The government said oil prices would be capped until spring."),
        story("oil-exports", title: "Oil exports rise", day: 2, body: "Exports of oil grew, the government statistics agency reported."),
        story("gas", title: "Gas tariffs rise", day: 3, body: "The government raised gas tariffs for industry."),
        story("rates-held", title: "Interest rates held", day: 4, body: "The national bank kept interest rates where they were."),
        story("rates-cut", title: "Interest rates cut", day: 5, body: "The national bank cut interest rates by half a point."),
        story("rates-talk", title: "Bankers talk about rates", day: 6, body: "Rates of interest on deposits were the subject of the meeting."),
        ArticleSubmission(
            id: Article.ID("vybory"), title: "Выборы в парламент назначены на март", body: "Центральная избирательная комиссия объявила выборы.",
            published: Date(timeIntervalSince1970: 1_735_700_000), section: "Политика", countries: [.kyrgyzstan],
            author: "Айгерим Садыкова", language: .ru),
        ArticleSubmission(
            id: Article.ID("vybory-2"), title: "Наблюдатели на выборы", body: "Выборы пройдут в воскресенье.",
            published: Date(timeIntervalSince1970: 1_735_710_000), section: "Политика", countries: [.kazakhstan],
            author: "Айгерим Садыкова", language: .ru),
    ]

    static let queries = ["government oil", "выборы", "\"interest rates\" -cut", "rates interest", "oil"]

    @Test func theBoxFindsWhatTheAPIFindsForTheSameWords() async throws {
        let database = try SQLiteDatabase.inMemory()
        let store = SQLiteArticleStore(database: database, clock: { testNow })
        let zone = TimeZone(identifier: "Asia/Almaty")!
        _ = try await store.save(Self.stories)
        let app = try await buildApplication(
            SiteDependencies(
                store: store, search: SQLiteSearchIndex(database: database, timeZone: zone),
                rates: RateDesk(store: SQLiteRateStore(database: database), timeZone: zone),
                configuration: SiteConfiguration(), clock: { testNow }))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let run = try await BrowserRun.script("browser-search", ["http://127.0.0.1:\(port)"] + Self.queries)
            let lines = run.lines
            #expect(run.status == 0, "\(run.printed)\n\(run.complaints)")
            #expect(lines.map { $0["query"] as? String } == Self.queries)
            var totals: [String: Int] = [:]
            for line in lines {
                let query = line["query"] as? String ?? "?"
                #expect(line["ok"] as? Bool == true, "\(line)")
                #expect(line["box"] as? String == query, "the results page shows \(line["box"] ?? "nothing") for \(query)")
                totals[query] = line["page_total"] as? Int
            }
            // What the reader found, story by story: the words apart, Cyrillic, a phrase with an exclusion.
            #expect(totals["government oil"] == 3)
            #expect(totals["выборы"] == 2)
            #expect(totals["\"interest rates\" -cut"] == 1)
            #expect(totals["rates interest"] == 3)
            #expect(totals["oil"] == 2)
        }
    }

    static func executable(named names: [String]) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for folder in path.split(separator: ":") {
                let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        return nil
    }
}

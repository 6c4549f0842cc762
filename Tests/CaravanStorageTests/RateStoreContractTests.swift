import CaravanCore
import CaravanPostgres
import CaravanSQLite
import CaravanStorage
import Foundation
import Testing

/// The behaviour every RateStore must have. Each test runs against every implementation available.
@Suite("RateStore contract")
struct RateStoreContractTests {
    /// The rate store, and the article store of the same database for its content version.
    struct Stores: Sendable {
        let rates: any RateStore
        let articles: any ArticleStore
    }
    typealias Backend = StorageBackend<Stores>

    static let backends = Backend.all(
        sqlite: { Stores(rates: SQLiteRateStore(database: $0), articles: SQLiteArticleStore(database: $0)) },
        postgres: { Stores(rates: PostgresRateStore(database: $0), articles: PostgresArticleStore(database: $0)) })

    static let fetched = Date(timeIntervalSince1970: 1_775_000_000)

    static func day(_ iso: String) -> Day { Day(iso: iso)! }

    static func rate(
        _ currency: Currency, _ perUSD: String, on iso: String, from source: RateSource, via: Currency? = nil
    ) -> Rate {
        Rate(currency: currency, perUSD: Decimal(string: perUSD, locale: Locale(identifier: "en_US_POSIX"))!,
             effectiveDate: day(iso), source: source, crossVia: via)
    }

    @Test(arguments: backends) func ratesReadBackExactlyWithTheirCrosses(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let saved = [
                Self.rate(.kzt, "478.77", on: "2026-04-01", from: .nbk),
                Self.rate(.tmt, "0.0000781", on: "2026-04-01", from: .cbr, via: .rub),
                Self.rate(.uzs, "12650.123456789012345", on: "2026-04-01", from: .cbu),
            ]
            #expect(try await stores.rates.save(saved, fetchedAt: Self.fetched) == 3)
            #expect(try await stores.rates.count() == 3)
            let read = try await stores.rates.recent(through: Self.day("2026-04-01"), days: 0)
            #expect(Set(read) == Set(saved), "decimals are exact, never rounded through floating point")
            #expect(read.first { $0.currency == .tmt }?.crossVia == .rub)
        }
    }

    @Test(arguments: backends) func savingAgainReplacesOnlyWhatChanged(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let first = [Self.rate(.kzt, "478.77", on: "2026-04-01", from: .nbk), Self.rate(.kgs, "87.45", on: "2026-04-01", from: .nbkr)]
            _ = try await stores.rates.save(first, fetchedAt: Self.fetched)
            let before = try await stores.articles.contentVersion()
            #expect(try await stores.rates.save(first, fetchedAt: Self.fetched.addingTimeInterval(60)) == 0)
            #expect(try await stores.articles.contentVersion() == before, "an unchanged rate is not a change")
            let corrected = Self.rate(.kgs, "87.46", on: "2026-04-01", from: .nbkr)
            #expect(try await stores.rates.save([first[0], corrected], fetchedAt: Self.fetched) == 1)
            #expect(try await stores.articles.contentVersion() > before, "a new figure makes cached pages stale")
            #expect(try await stores.rates.count() == 2)
            let read = try await stores.rates.recent(through: Self.day("2026-04-01"), days: 0)
            #expect(read.first { $0.currency == .kgs }?.perUSD == corrected.perUSD)
        }
    }

    @Test(arguments: backends) func invalidRatesAreNotStored(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let rates = [Self.rate(.kzt, "0", on: "2026-04-01", from: .nbk), Self.rate(.kgs, "-1", on: "2026-04-01", from: .nbkr)]
            let saved = try await stores.rates.save(rates, fetchedAt: Self.fetched)
            #expect(saved == 0)
            #expect(try await stores.rates.count() == 0)
        }
    }

    @Test(arguments: backends) func recentCountsDaysBackFromTheNewestStoredDay(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            _ = try await stores.rates.save(
                [
                    Self.rate(.kzt, "470", on: "2026-03-27", from: .nbk),
                    Self.rate(.kzt, "475.09", on: "2026-04-02", from: .nbk),
                    Self.rate(.kgs, "87.45", on: "2026-03-31", from: .nbkr),
                    Self.rate(.kzt, "478.77", on: "2026-04-01", from: .nbk),
                    Self.rate(.kgs, "87.50", on: "2026-04-09", from: .nbkr),
                ], fetchedAt: Self.fetched)
            // Through a Sunday with nothing published: the window ends on the newest day stored before it.
            let window = try await stores.rates.recent(through: Self.day("2026-04-05"), days: 2)
            #expect(window.map(\.effectiveDate.iso) == ["2026-03-31", "2026-04-01", "2026-04-02"], "oldest first")
            #expect(window.map(\.currency) == [.kgs, .kzt, .kzt])
            #expect(try await stores.rates.recent(through: Self.day("2026-03-01"), days: 30).isEmpty, "nothing stored that early")
        }
    }

    @Test(arguments: backends) func oneDayHoldsEverySourcesCandidate(_ backend: Backend) async throws {
        try await backend.withStores { stores in
            let own = Self.rate(.kgs, "87.45", on: "2026-04-01", from: .nbkr)
            let crossed = Self.rate(.kgs, "87.39", on: "2026-04-01", from: .cbr, via: .rub)
            let byKazakhstan = Self.rate(.kgs, "87.41", on: "2026-04-01", from: .nbk)
            #expect(try await stores.rates.save([own, crossed, byKazakhstan], fetchedAt: Self.fetched) == 3)
            let read = try await stores.rates.recent(through: Self.day("2026-04-01"), days: 0)
            #expect(read.map(\.source) == [.cbr, .nbk, .nbkr], "ordered by day, currency, then source")
        }
    }
}

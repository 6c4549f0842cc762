import CaravanCore
import CaravanRates
import Foundation
import Testing

@Suite struct RateBoardTests {
    /// The payloads bundled for the demo site (the same files as Sources/CaravanDemo/Content/rates).
    static let demoFiles: [(String, RateSource)] = [
        ("nbk-kz/get_rates_fdate_2026-04-01.xml", .nbk), ("nbk-kz/get_rates_fdate_2026-04-02.xml", .nbk),
        ("nbk-kz/get_rates_fdate_2026-04-03.xml", .nbk), ("nbkr-kg/daily_2026-05-24.xml", .nbkr),
        ("nbt-tj/export_xml_en_date_2026-05-18.xml", .nbt), ("nbt-tj/export_xml_en_date_2026-05-19.xml", .nbt),
        ("nbt-tj/export_xml_en_date_2026-05-20.xml", .nbt), ("cbu-uz/json_all_en_2026-04-01.json", .cbu),
        ("cbu-uz/json_all_en_2026-04-02.json", .cbu), ("cbu-uz/json_all_en_2026-04-03.json", .cbu),
        ("cbt-tm/kurs_2026-05-20.xml", .cbt), ("cbt-tm/kurs_2026-05-21.xml", .cbt), ("cbt-tm/kurs_2026-05-22.xml", .cbt),
        ("cbr-ru/XML_daily_2026-04-25_cp1251.xml", .cbr),
    ]

    func demoBoard() throws -> RateBoard {
        RateBoard(publications: try Self.demoFiles.map { try Fixture.publication($0.0, $0.1) })
    }

    @Test func demoPayloadsGiveEveryCurrencyARateAndAChangeToday() throws {
        let board = try demoBoard()
        // Long after the payloads: every rate is stale, so each currency falls back to its own bank's last rate.
        let ticker = board.ticker(on: rateDay("2026-11-30"))
        #expect(ticker.map(\.currency) == Currency.tracked)
        #expect(ticker.map(\.rate.source) == [.nbk, .nbkr, .nbt, .cbu, .cbt])
        #expect(ticker.map(\.rate.perUSD) == ["472.31", "87.45", "9.3288", "12149.84", "3.5"].map(exact))
        #expect(ticker.allSatisfy { $0.isStale && $0.change != nil })
        let changes = ticker.map { RateFormat.change($0.change!.percent) }
        #expect(changes == ["\u{2212}0.59 %", "0.00 %", "\u{2212}0.09 %", "+0.06 %", "0.00 %"])
        // KGS has one NBKR day; its change is against the previous accepted rate, CBT's 22 May cross.
        #expect(ticker[1].previous == usdRate(.kgs, "87.45", "2026-05-22", .cbt, via: .tmt))
    }

    @Test func demoPayloadsOnTheirLatestDate() throws {
        let board = try demoBoard()
        #expect(board.latestDate == rateDay("2026-05-24"))
        let ticker = board.ticker(on: rateDay("2026-05-24"))
        #expect(ticker.count == 5)
        #expect(ticker.allSatisfy { !$0.isStale && $0.change != nil })
        let kgs = try #require(ticker.first { $0.currency == .kgs })
        #expect(kgs.rate == usdRate(.kgs, "87.45", "2026-05-24", .nbkr))
        #expect(kgs.choice.outcome == .authoritative)
        let tmt = try #require(ticker.first { $0.currency == .tmt })
        #expect(tmt.rate == usdRate(.tmt, "3.5", "2026-05-22", .cbt))
        #expect(tmt.previous?.effectiveDate == rateDay("2026-05-21"))
        // NBK's last rate (3 April) is long stale by 24 May, so KZT is shown as the newest cross, and says so.
        let kzt = try #require(ticker.first { $0.currency == .kzt })
        #expect(kzt.rate.isCross)
        #expect(kzt.choice.outcome == .cross(because: .authoritativeStale))
    }

    @Test func acceptedHistoryIsOneRatePerDate() throws {
        let board = try demoBoard()
        let history = board.history(for: .uzs, through: rateDay("2026-04-03"))
        #expect(history.map(\.effectiveDate) == ["2026-04-01", "2026-04-02", "2026-04-03"].map(rateDay))
        #expect(history.allSatisfy { $0.source == .cbu && !$0.isCross })
    }

    @Test func weekendCarryOverShowsZeroChange() throws {
        let friday = usdRate(.tjs, "9.3288", "2026-05-22", .nbt)
        let saturday = usdRate(.tjs, "9.3288", "2026-05-23", .nbt)
        let board = RateBoard(rates: [usdRate(.tjs, "9.3371", "2026-05-21", .nbt), friday, saturday])
        let entry = try #require(board.entry(for: .tjs, on: rateDay("2026-05-24")))
        #expect(entry.rate == saturday)
        #expect(entry.change?.previousDate == rateDay("2026-05-22"))
        #expect(RateFormat.change(entry.change!.percent) == "0.00 %")
    }

    @Test func noPublicationAtTheWeekendKeepsFridaysChange() throws {
        let board = RateBoard(rates: [
            usdRate(.kzt, "478.00", "2026-05-21", .nbk), usdRate(.kzt, "475.00", "2026-05-22", .nbk),
            usdRate(.kzt, "471.80", "2026-05-23", .cbt, via: .tmt),
        ])
        let sunday = try #require(board.entry(for: .kzt, on: rateDay("2026-05-24")))
        #expect(sunday.rate.source == .nbk)
        #expect(sunday.previous?.effectiveDate == rateDay("2026-05-21"))
        #expect(!sunday.isStale)
    }

    @Test func aSeedIsTheBaselineForTheFirstPayload() throws {
        let board = RateBoard(rates: [usdRate(.uzs, "13500", "2026-04-01", .cbu)], seed: [usdRate(.uzs, "12000", "2026-03-31", .cbu)])
        let entry = try #require(board.entry(for: .uzs, on: rateDay("2026-04-01")))
        #expect(entry.rate == usdRate(.uzs, "12000", "2026-03-31", .cbu))
        #expect(entry.choice.outcome == .heldBack)
    }

    @Test func nothingForACurrencyNobodyQuotes() {
        #expect(RateBoard(rates: []).entry(for: .kgs, on: rateDay("2026-05-24")) == nil)
        #expect(RateBoard(rates: []).latestDate == nil)
    }
}

@Suite struct RateBoardHistoryTests {
    @Test func threeYearsOfDailyRatesFromThreeBanks() throws {
        let start = rateDay("2023-06-01")
        var rates: [Rate] = []
        for offset in 0..<(3 * 365) {
            let date = start.adding(days: offset)
            let value = Decimal(450 + offset % 30)
            rates.append(Rate(currency: .kzt, perUSD: value, effectiveDate: date, source: .nbk))
            rates.append(Rate(currency: .kzt, perUSD: value + 1, effectiveDate: date, source: .cbr, crossVia: .rub))
            rates.append(Rate(currency: .kzt, perUSD: value - 1, effectiveDate: date, source: .cbt, crossVia: .tmt))
        }
        let clock = ContinuousClock()
        let started = clock.now
        let entry = try #require(RateBoard(rates: rates.shuffled()).entry(for: .kzt, on: start.adding(days: 3 * 365 - 1)))
        let elapsed = clock.now - started
        #expect(entry.rate.source == .nbk)
        #expect(entry.previous?.effectiveDate == start.adding(days: 3 * 365 - 2))
        #expect(elapsed < .seconds(20), "walking 3,285 rates took \(elapsed)")
    }
}

import CaravanCore
import CaravanRates
import Foundation
import Testing

@Suite struct NormalisationTests {
    @Test(arguments: [
        ("nbkr-kg/daily_2026-05-24.xml", RateSource.nbkr, Currency.kgs, "87.45", "2026-05-24"),
        ("nbk-kz/get_rates_fdate_2026-04-02.xml", .nbk, .kzt, "475.09", "2026-04-02"),
        ("nbt-tj/export_xml_en_date_2026-05-18.xml", .nbt, .tjs, "9.345", "2026-05-18"),
        ("cbu-uz/json_all_en_2026-04-03.json", .cbu, .uzs, "12149.84", "2026-04-03"),
        ("cbt-tm/kurs_2026-05-22.xml", .cbt, .tmt, "3.5", "2026-05-22"),
        ("cbr-ru/XML_daily_2026-04-25_cp1251.xml", .cbr, .rub, "75.5273", "2026-04-25"),
    ])
    func eachBanksOwnRate(_ file: String, _ source: RateSource, _ currency: Currency, _ perUSD: String, _ date: String) throws {
        let official = try #require(try Fixture.publication(file, source).officialRate)
        #expect(official == Rate(currency: currency, perUSD: exact(perUSD), effectiveDate: rateDay(date), source: source))
        #expect(!official.isCross)
        #expect(official.isAuthoritative)
    }

    @Test func cbrCrossesGoThroughTheRouble() throws {
        let cbr = try Fixture.publication("cbr-ru/XML_daily_2026-04-25_cp1251.xml", .cbr)
        let crosses = cbr.crossRates()
        #expect(crosses.map(\.currency) == Currency.tracked)
        #expect(crosses.allSatisfy { $0.isCross && $0.crossVia == .rub && $0.source == .cbr && !$0.isAuthoritative })
        let sixDigits = crosses.map { DecimalRounding.round($0.perUSD, significantDigits: 6) }
        #expect(sixDigits == ["462.869", "87.4032", "9.43070", "12020.5", "3.50000"].map(exact))
        let kgs = try #require(crosses.first { $0.currency == .kgs })
        #expect(kgs.perUSD == exact("75.5273") / exact("0.864125"))
        // FORMATS.md: "KGS 0.864125/75.5273 = 0.011441 USD".
        #expect(kgs.usdPerUnit(significantDigits: 5) == exact("0.011441"))
        #expect(cbr.rates() == crosses)
        #expect(cbr.rates(for: [.rub]) == [cbr.officialRate!])
    }

    @Test func crossesDivideByTheNominal() throws {
        let nbk = try Fixture.publication("nbk-kz/get_rates_fdate_2026-04-01.xml", .nbk)
        let uzs = try #require(nbk.crossRates(for: [.uzs]).first)
        // 3.93 KZT per 100 UZS: taken as-is the sum would be 100 times off.
        #expect(uzs.perUSD == exact("478.77") / exact("0.0393"))
        #expect(DecimalRounding.round(uzs.perUSD, places: 2) == exact("12182.44"))
        let nbt = try Fixture.publication("nbt-tj/export_xml_en_date_2026-05-18.xml", .nbt)
        #expect(nbt.crossRates(for: [.tmt]).first?.perUSD == exact("3.5"))
        #expect(nbt.crossRates(for: [.kgs]).first?.perUSD == exact("9.345") / exact("0.10686"))
    }

    @Test func cbtUsesItsPrintedPerDollarFigureOnlyWhenItAgrees() throws {
        let may20 = try Fixture.publication("cbt-tm/kurs_2026-05-20.xml", .cbt)
        let eur = try #require(Currency(code: "EUR"))
        let crosses = may20.crossRates(for: [.kzt, .kgs, .tjs, .uzs, eur])
        #expect(crosses.map(\.perUSD) == ["471.44", "87.45", "9.24", "12014.27"].map(exact) + [exact("3.5") / exact("4.0649")])
        #expect(crosses.allSatisfy { $0.crossVia == .tmt })
        let may21 = try Fixture.publication("cbt-tm/kurs_2026-05-21.xml", .cbt)
        #expect(may21.crossRates(for: [.uzs]).first?.perUSD == exact("12070"))
    }

    @Test func nbkrWeeklyCrossesNeedTheDailyDollar() throws {
        let weekly = try Fixture.publication("nbkr-kg/weekly_2026-05-23.xml", .nbkr)
        let daily = try Fixture.publication("nbkr-kg/daily_2026-05-24.xml", .nbkr)
        #expect(weekly.crossRates().isEmpty)
        let crosses = weekly.crossRates(homePerUSD: daily.officialRate?.perUSD)
        #expect(crosses.map(\.currency) == [.tjs, .uzs, .tmt])
        #expect(crosses.map(\.effectiveDate) == Array(repeating: rateDay("2026-05-23"), count: 3))
        #expect(crosses.map { DecimalRounding.round($0.perUSD, places: 2) } == ["9.29", "11979.45", "3.50"].map(exact))
    }

    @Test func noRateForTheDollarOrTheHomeCurrencyAsACross() throws {
        let cbu = try Fixture.publication("cbu-uz/json_all_en_2026-04-02.json", .cbu)
        #expect(cbu.crossRates(for: [.usd, .uzs]).isEmpty)
        #expect(cbu.rates(for: [.uzs, .kzt]).map(\.currency) == [.uzs, .kzt])
    }
}

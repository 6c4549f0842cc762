import CaravanCore
import CaravanRates
import Foundation
import Testing

/// One real payload and what it must yield.
struct PayloadCase: CustomTestStringConvertible, Sendable {
    let file: String
    let source: RateSource
    let format: RatePayloadFormat
    let date: String
    let quotes: Int
    let ignored: Int
    /// Home currency per ONE dollar, or nil for a file without USD (NBKR weekly).
    let dollar: String?
    /// A currency with its nominal and printed value, checking the division.
    let sample: (Currency, nominal: String, value: String, unit: String)

    var testDescription: String { file }
}

@Suite struct ParserFixtureTests {
    static let cases: [PayloadCase] = [
        .init(file: "nbk-kz/get_rates_fdate_2026-04-01.xml", source: .nbk, format: .nbkGetRates, date: "2026-04-01",
              quotes: 39, ignored: 0, dollar: "478.77", sample: (.uzs, "100", "3.93", "0.0393")),
        .init(file: "nbk-kz/get_rates_fdate_2026-04-02.xml", source: .nbk, format: .nbkGetRates, date: "2026-04-02",
              quotes: 39, ignored: 0, dollar: "475.09", sample: (.kgs, "1", "5.43", "5.43")),
        .init(file: "nbk-kz/get_rates_fdate_2026-04-03.xml", source: .nbk, format: .nbkGetRates, date: "2026-04-03",
              quotes: 39, ignored: 0, dollar: "472.31", sample: (.tjs, "1", "49.46", "49.46")),
        .init(file: "nbk-kz/rss-rates_all_2016-04-18.xml", source: .nbk, format: .nbkRSS, date: "2016-04-18",
              quotes: 39, ignored: 3, dollar: "334.41", sample: (Currency(code: "IRR")!, "1000", "11.08", "0.01108")),
        .init(file: "nbkr-kg/daily_2026-05-24.xml", source: .nbkr, format: .nbkrDaily, date: "2026-05-24",
              quotes: 5, ignored: 0, dollar: "87.45", sample: (.kzt, "1", "0.1859", "0.1859")),
        .init(file: "nbkr-kg/daily_2022-07-18.xml", source: .nbkr, format: .nbkrDaily, date: "2022-07-18",
              quotes: 4, ignored: 0, dollar: "80.9694", sample: (.rub, "1", "1.3612", "1.3612")),
        .init(file: "nbkr-kg/daily_2020-12-14.xml", source: .nbkr, format: .nbkrDaily, date: "2020-12-14",
              quotes: 4, ignored: 0, dollar: "84.7999", sample: (.kzt, "1", "0.2024", "0.2024")),
        .init(file: "nbkr-kg/daily_2019-09-13.xml", source: .nbkr, format: .nbkrDaily, date: "2019-09-13",
              quotes: 4, ignored: 0, dollar: "69.85", sample: (.kzt, "1", "0.1804", "0.1804")),
        .init(file: "nbkr-kg/daily_2013-12-15.xml", source: .nbkr, format: .nbkrDaily, date: "2013-12-15",
              quotes: 4, ignored: 0, dollar: "29.2717", sample: (.kzt, "1", "0.3197", "0.3197")),
        .init(file: "nbkr-kg/weekly_2026-05-23.xml", source: .nbkr, format: .nbkrWeekly, date: "2026-05-23",
              quotes: 40, ignored: 0, dollar: nil, sample: (Currency(code: "JPY")!, "10", "5.4969", "0.54969")),
        .init(file: "nbkr-kg/weekly_2013-12-14.xml", source: .nbkr, format: .nbkrWeekly, date: "2013-12-14",
              quotes: 39, ignored: 0, dollar: nil, sample: (.tmt, "1", "17.2883", "17.2883")),
        .init(file: "nbt-tj/export_xml_en_date_2026-05-18.xml", source: .nbt, format: .nbtDaily, date: "2026-05-18",
              quotes: 36, ignored: 0, dollar: "9.345", sample: (.uzs, "100", "0.078", "0.00078")),
        .init(file: "nbt-tj/export_xml_en_date_2026-05-19.xml", source: .nbt, format: .nbtDaily, date: "2026-05-19",
              quotes: 36, ignored: 0, dollar: "9.3371", sample: (.kgs, "10", "1.0677", "0.10677")),
        .init(file: "nbt-tj/export_xml_en_date_2026-05-20.xml", source: .nbt, format: .nbtDaily, date: "2026-05-20",
              quotes: 36, ignored: 0, dollar: "9.3288", sample: (.kzt, "10", "0.1977", "0.01977")),
        .init(file: "cbu-uz/json_all_en_2026-04-01.json", source: .cbu, format: .cbuJSON, date: "2026-04-01",
              quotes: 75, ignored: 0, dollar: "12194.21", sample: (.tmt, "1", "4037.68", "4037.68")),
        .init(file: "cbu-uz/json_all_en_2026-04-02.json", source: .cbu, format: .cbuJSON, date: "2026-04-02",
              quotes: 75, ignored: 0, dollar: "12142.1", sample: (.kgs, "1", "138.8", "138.8")),
        .init(file: "cbu-uz/json_all_en_2026-04-03.json", source: .cbu, format: .cbuJSON, date: "2026-04-03",
              quotes: 75, ignored: 0, dollar: "12149.84", sample: (.kzt, "1", "25.69", "25.69")),
        .init(file: "cbt-tm/kurs_2026-05-20.xml", source: .cbt, format: .cbtDaily, date: "2026-05-20",
              quotes: 48, ignored: 0, dollar: "3.5", sample: (.kzt, "100", "0.7424", "0.007424")),
        .init(file: "cbt-tm/kurs_2026-05-21.xml", source: .cbt, format: .cbtDaily, date: "2026-05-21",
              quotes: 48, ignored: 0, dollar: "3.5", sample: (.uzs, "1000", "0.29", "0.00029")),
        .init(file: "cbt-tm/kurs_2026-05-22.xml", source: .cbt, format: .cbtDaily, date: "2026-05-22",
              quotes: 48, ignored: 0, dollar: "3.5", sample: (.kgs, "100", "4.0023", "0.040023")),
        .init(file: "cbr-ru/XML_daily_2026-04-25_cp1251.xml", source: .cbr, format: .cbrDaily, date: "2026-04-25",
              quotes: 54, ignored: 0, dollar: "75.5273", sample: (.uzs, "10000", "62.8322", "0.00628322")),
        .init(file: "cbr-ru/XML_daily_2023-11-02_cp1251.xml", source: .cbr, format: .cbrDaily, date: "2023-11-02",
              quotes: 43, ignored: 0, dollar: "93.2801", sample: (.kgs, "10", "10.4434", "1.04434")),
        .init(file: "cbr-ru/XML_daily_2023-09-27_utf8-resaved.xml", source: .cbr, format: .cbrDaily, date: "2023-09-27",
              quotes: 43, ignored: 0, dollar: "96.2378", sample: (.tjs, "10", "87.8002", "8.78002")),
        .init(file: "cbr-ru/XML_daily_2002-03-02_cp1251.xml", source: .cbr, format: .cbrDaily, date: "2002-03-02",
              quotes: 17, ignored: 0, dollar: "30.9436", sample: (.kzt, "100", "20.3393", "0.203393")),
    ]

    @Test(arguments: cases)
    func parsesEveryRealPayload(_ payload: PayloadCase) throws {
        let publication = try Fixture.publication(payload.file, payload.source)
        #expect(publication.source == payload.source)
        #expect(publication.format == payload.format)
        #expect(publication.effectiveDate == rateDay(payload.date))
        #expect(publication.quotes.count == payload.quotes)
        #expect(publication.ignored.count == payload.ignored)
        #expect(publication.quote(for: .usd)?.unitValue == payload.dollar.map(exact))
        #expect(publication.officialRate?.perUSD == payload.dollar.map(exact))
        let (currency, nominal, value, unit) = payload.sample
        let quote = try #require(publication.quote(for: currency))
        #expect(quote.nominal == exact(nominal))
        #expect(quote.value == exact(value))
        #expect(quote.unitValue == exact(unit))
        #expect(publication.quotes.allSatisfy { $0.unitValue > 0 && $0.nominal > 0 })
        #expect(Set(publication.quotes.map(\.currency)).count == publication.quotes.count)
    }

    @Test func fixtureTableCoversEveryDailyPayloadFile() throws {
        let listed = Set(Self.cases.map(\.file))
        var onDisk: Set<String> = []
        for folder in ["nbk-kz", "nbkr-kg", "nbt-tj", "cbu-uz", "cbt-tm", "cbr-ru"] {
            onDisk.formUnion(try Fixture.files(in: folder).filter { !$0.contains("XML_dynamic") })
        }
        #expect(listed == onDisk)
    }

    @Test func nbkRSSLeavesOutDiscontinuedCurrencies() throws {
        let publication = try Fixture.publication("nbk-kz/rss-rates_all_2016-04-18.xml", .nbk)
        #expect(Set(publication.ignored.map(\.item)) == ["currency LVL", "currency TRL", "currency EEK"])
        #expect(publication.quote(for: Currency(code: "LVL")!) == nil)
        // The channel's own <description> is not a rate.
        #expect(publication.quotes.count == 39)
    }

    @Test func nbkrWeeklyHasNoDollarButValidity() throws {
        let weekly = try Fixture.publication("nbkr-kg/weekly_2026-05-23.xml", .nbkr)
        #expect(weekly.validForDays == 7)
        #expect(weekly.officialRate == nil)
        #expect(weekly.quote(for: .tjs)?.unitValue == exact("9.4148"))
        #expect(weekly.quote(for: .uzs)?.unitValue == exact("0.0073"))
        #expect(weekly.quote(for: .tmt)?.unitValue == exact("24.9857"))
        let daily = try Fixture.publication("nbkr-kg/daily_2026-05-24.xml", .nbkr)
        #expect(daily.validForDays == nil)
    }

    @Test func cbrVunitRateAgreesWithValueOverNominalEverywhere() throws {
        for file in try Fixture.files(in: "cbr-ru") {
            for publication in try Fixture.publications(file, .cbr) {
                for quote in publication.quotes {
                    guard let published = quote.publishedUnitValue else { continue }
                    // Nominals are powers of ten, so VunitRate is exactly Value/Nominal (IRR prints as 5,39256E-05).
                    #expect(quote.unitValue == published, "\(file) \(quote.currency)")
                }
            }
        }
        let irr = try Fixture.publication("cbr-ru/XML_daily_2026-04-25_cp1251.xml", .cbr).quote(for: Currency(code: "IRR")!)
        #expect(irr?.publishedUnitValue == exact("0.0000539256"))
        #expect(irr?.nominal == exact("1000000"))
    }

    @Test func cbrDynamicGivesOnePublicationPerDate() throws {
        let publications = try Fixture.publications("cbr-ru/XML_dynamic_KGS_R01370_2026-03-01_2026-03-05.xml", .cbr)
        #expect(publications.map(\.effectiveDate) == ["2026-03-03", "2026-03-04", "2026-03-05"].map(rateDay))
        #expect(publications.allSatisfy { $0.format == .cbrDynamic && $0.quotes.count == 1 })
        #expect(publications.first?.quote(for: .kgs)?.unitValue == exact("0.882534"))
    }

    @Test func cbrDynamicFilesMergeIntoCrossRates() throws {
        var all: [BankPublication] = []
        for file in try Fixture.files(in: "cbr-ru") where file.contains("XML_dynamic") {
            all += try Fixture.publications(file, .cbr)
        }
        let merged = BankPublication.merged(all)
        #expect(merged.map(\.effectiveDate) == ["2026-03-03", "2026-03-04", "2026-03-05"].map(rateDay))
        #expect(merged.allSatisfy { $0.quotes.count == 6 })
        let march3 = try #require(merged.first)
        #expect(march3.officialRate?.perUSD == exact("77.1734"))
        let kgs = try #require(march3.crossRates().first { $0.currency == .kgs })
        #expect(kgs.perUSD == exact("77.1734") / exact("0.882534"))
        #expect(DecimalRounding.round(kgs.perUSD, places: 4) == exact("87.4452"))
        #expect(Set(march3.crossRates().map(\.currency)) == Set(Currency.tracked))
    }

    @Test func windows1251IsDecodedByTheDeclaration() throws {
        // NBKR declares windows-1251; a Cyrillic "н/д" (no data) in place of EUR must come back as the same text.
        var data = try Fixture.data("nbkr-kg/daily_2026-05-24.xml")
        let range = try #require(data.range(of: Data("101,5076".utf8)))
        data.replaceSubrange(range, with: Data([0xED, 0x2F, 0xE4]))
        let publication = try RatePayloadParser.parse(data, source: .nbkr)
        #expect(publication.ignored.count == 1)
        #expect(publication.ignored.first?.reason.contains("\"н/д\"") == true)
        #expect(publication.officialRate?.perUSD == exact("87.45"))
    }

    @Test func cbuFiguresAreStringsAndDiffIsNotUsed() throws {
        let april1 = try Fixture.publication("cbu-uz/json_all_en_2026-04-01.json", .cbu)
        #expect(april1.quote(for: .usd)?.value == exact("12194.21"))
        #expect(april1.quotes.filter { $0.nominal == 10 }.count == 3)
    }

    @Test(arguments: [("20.05.2026", "2026-05-20"), ("2022-03-15", "2022-03-15")])
    func cbtReadsBothDateFormats(_ printed: String, _ expected: String) throws {
        // CBT printed YYYY-MM-DD in 2020-2023; the 2026 payload with its date rewritten stands in for that form.
        let original = String(decoding: try Fixture.data("cbt-tm/kurs_2026-05-20.xml"), as: UTF8.self)
        let variant = original.replacingOccurrences(of: "<date>20.05.2026</date>", with: "<date>\(printed)</date>")
        let publication = try RatePayloadParser.parse(Data(variant.utf8), source: .cbt)
        #expect(publication.effectiveDate == rateDay(expected))
        #expect(publication.quotes.count == 48)
    }

    @Test func cbtKeepsItsPrintedPerDollarFigures() throws {
        let publication = try Fixture.publication("cbt-tm/kurs_2026-05-20.xml", .cbt)
        #expect(publication.quote(for: .kzt)?.publishedPerUSD == exact("471.44"))
        #expect(publication.quote(for: Currency(code: "EUR")!)?.publishedPerUSD == exact("1.1614"))
    }
}

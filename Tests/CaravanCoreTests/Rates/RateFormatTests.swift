import CaravanCore
import Foundation
import Testing

@Suite struct RateFormatTests {
    @Test(arguments: [
        ("0.12", "+0.12 %"), ("-0.03", "\u{2212}0.03 %"), ("0", "0.00 %"), ("-0.004", "0.00 %"), ("0.0049", "0.00 %"),
        ("-0.005", "\u{2212}0.01 %"), ("0.005", "+0.01 %"), ("0.063745151168249314369", "+0.06 %"),
        ("-0.76863629717818576769638866261461662176", "\u{2212}0.77 %"), ("12.345", "+12.35 %"),
        ("-14.08", "\u{2212}14.08 %"), ("100", "+100.00 %"), ("-0.0000000000000000001", "0.00 %"),
    ])
    func change(_ percent: String, _ expected: String) {
        let text = RateFormat.change(exact(percent))
        #expect(text == expected)
        #expect(!text.contains("-"), "ASCII hyphen-minus must not appear: \(text)")
        #expect(text != "\u{2212}0.00 %" && text != "-0 %")
    }

    @Test func jsonChangeKeepsFourPlacesAndNoNegativeZero() {
        #expect(RateFormat.jsonChange(exact("-0.76863629717818576769638866261461662176")) == exact("-0.7686"))
        #expect(RateFormat.jsonChange(exact("-0.00001")).sign == .plus)
        #expect(RateFormat.jsonChange(exact("0.0637451511682493"), places: 2) == exact("0.06"))
    }

    @Test(arguments: [
        ("87.4500", Currency.kgs, "1 USD = 87.45 KGS"), ("475.09", .kzt, "1 USD = 475.09 KZT"),
        ("12149.84", .uzs, "1 USD = 12149.84 UZS"), ("9.3450", .tjs, "1 USD = 9.345 TJS"), ("3.5", .tmt, "1 USD = 3.50 TMT"),
        ("9.3288", .tjs, "1 USD = 9.329 TJS"), ("87.403211340951829885722551714161724287", .kgs, "1 USD = 87.40 KGS"),
        ("3.5000562282115680173932601117067136484", .tmt, "1 USD = 3.50 TMT"), ("0.7316", .usd, "1 USD = 0.7316 USD"),
    ])
    func perUSD(_ value: String, _ currency: Currency, _ expected: String) {
        let shown = Rate(currency: currency, perUSD: exact(value), effectiveDate: rateDay("2026-05-24"), source: .nbkr)
        #expect(RateFormat.perUSD(shown) == expected)
    }

    @Test(arguments: [
        ("87.45", "0.01144"), ("12190", "0.00008203"), ("12804.1", "0.00007810"), ("12149.84", "0.00008231"),
        ("3.5", "0.2857"), ("475.09", "0.002105"), ("9.345", "0.1070"), ("0.5", "2.000"),
    ])
    func inverseHasFourSignificantDigits(_ perUSD: String, _ expected: String) {
        #expect(RateFormat.inverse(of: exact(perUSD)) == expected)
        #expect(!RateFormat.inverse(of: exact(perUSD)).contains("e"))
    }

    @Test func aSmallUSDPerUnitFigureFormatsPositionally() {
        #expect(RateFormat.usdPerUnitNumber(exact("0.0000781")) == "0.00007810")
        #expect(RateFormat.usdPerUnitNumber(exact("0.0000781"), significantDigits: 3) == "0.0000781")
        #expect(RateFormat.usdPerUnitNumber(exact("0.00008203445")) != "0.00008")
    }

    @Test func jsonFigures() {
        let kgs = Rate(currency: .kgs, perUSD: exact("87.45"), effectiveDate: rateDay("2026-05-24"), source: .nbkr)
        #expect(RateFormat.jsonUSDPerUnit(kgs) == exact("0.0114351"))
        #expect(RateFormat.jsonUSDPerUnit(kgs, significantDigits: 5) == exact("0.011435"))
        #expect(RateFormat.jsonPerUSD(kgs) == exact("87.45"))
        let cross = Rate(currency: .kgs, perUSD: exact("87.403211340951829885722551714161724287"),
                         effectiveDate: rateDay("2026-04-25"), source: .cbr, crossVia: .rub)
        #expect(RateFormat.jsonPerUSD(cross) == exact("87.4032"))
        #expect(RateFormat.pairLabel(.kgs) == "KGS/USD")
        #expect(RateFormat.usdPerUnit(kgs) == "0.01144")
    }
}

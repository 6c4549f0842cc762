import CaravanCore
import CaravanRates
import Foundation
import Testing

/// The figures readers see, each from the real payload.
@Suite struct AcceptanceTests {
    @Test func nbkrTwentyFourthOfMay() throws {
        let publication = try Fixture.publication("nbkr-kg/daily_2026-05-24.xml", .nbkr)
        let kgs = try #require(publication.officialRate)
        #expect(kgs.currency == .kgs)
        #expect(kgs.perUSD == exact("87.45"))
        #expect(kgs.effectiveDate == rateDay("2026-05-24"))
        #expect(kgs.source == .nbkr && !kgs.isCross)
        #expect(kgs.usdPerUnit(significantDigits: 5) == exact("0.011435"))
        #expect(RateFormat.jsonUSDPerUnit(kgs) == exact("0.0114351"))
        #expect(RateFormat.perUSD(kgs) == "1 USD = 87.45 KGS")
        #expect(RateFormat.usdPerUnit(kgs) == "0.01144")
    }

    @Test func nbkFirstAndSecondOfApril() throws {
        let first = try #require(try Fixture.publication("nbk-kz/get_rates_fdate_2026-04-01.xml", .nbk).officialRate)
        let second = try #require(try Fixture.publication("nbk-kz/get_rates_fdate_2026-04-02.xml", .nbk).officialRate)
        #expect(first.perUSD == exact("478.77"))
        #expect(second.perUSD == exact("475.09"))
        let change = RateChange(current: second, previous: first)
        #expect(change.percent(places: 4) == exact("-0.7686"))
        #expect(RateFormat.jsonChange(change.percent) == exact("-0.7686"))
        #expect(RateFormat.change(change.percent) == "\u{2212}0.77 %")
    }

    @Test func cbuThreeDays() throws {
        let publications = try ["01", "02", "03"].map { try Fixture.publication("cbu-uz/json_all_en_2026-04-\($0).json", .cbu) }
        let entry = try #require(RateBoard(publications: publications).entry(for: .uzs, on: rateDay("2026-04-03")))
        #expect(entry.rate.perUSD == exact("12149.84"))
        #expect(entry.rate.source == .cbu)
        let change = try #require(entry.change)
        #expect(change.previousDate == rateDay("2026-04-02"))
        #expect(change.percent(places: 4) == exact("0.0637"))
        #expect(RateFormat.change(change.percent) == "+0.06 %")
    }

    @Test func cbuTMTOutlierHeldBack() throws {
        let publications = try ["01", "02", "03"].map { try Fixture.publication("cbu-uz/json_all_en_2026-04-\($0).json", .cbu) }
        // The last TMT rate shown before these payloads: CBT's peg of 3.5 per dollar.
        let peg = Rate(currency: .tmt, perUSD: Currency.tmtPegPerUSD, effectiveDate: rateDay("2026-03-31"), source: .cbt)
        let board = RateBoard(publications: publications, seed: [peg])
        let april1 = try #require(board.entry(for: .tmt, on: rateDay("2026-04-01")))
        #expect(april1.rate == peg)
        #expect(april1.choice.outcome == .heldBack)
        #expect(april1.choice.heldBack.map(\.source) == [.cbu])
        #expect(april1.choice.heldBack.first.map { DecimalRounding.round($0.perUSD, places: 4) } == exact("3.0201"))
        let history = board.history(for: .tmt)
        #expect(history.map(\.effectiveDate) == ["2026-03-31", "2026-04-02", "2026-04-03"].map(rateDay))
        #expect(history.allSatisfy { DecimalRounding.round($0.perUSD, places: 4) == exact("3.5") })
    }

    @Test func payloadDateIsCheckedAgainstTheRequest() throws {
        let nbt = try Fixture.publication("nbt-tj/export_xml_en_date_2026-05-20.xml", .nbt)
        #expect(nbt.checkDate(requested: rateDay("2026-05-20")) == .matches)
        // NBT answers a date out of range with another day's snapshot; CBU a future date with the latest.
        #expect(nbt.checkDate(requested: rateDay("2026-06-01")) == .earlier(rateDay("2026-05-20")))
        #expect(nbt.checkDate(requested: rateDay("2026-05-19")) == .later(rateDay("2026-05-20")))
        #expect(throws: RatePayloadError(.dateMismatch(requested: rateDay("2026-06-01"), effective: rateDay("2026-05-20")), source: .nbt)) {
            try nbt.requireDate(rateDay("2026-06-01"))
        }
        #expect(throws: Never.self) { try nbt.requireDate(rateDay("2026-05-20")) }
        #expect(throws: Never.self) { try nbt.requireDate(rateDay("2026-05-21"), allowEarlier: true) }
        #expect(throws: RatePayloadError.self) { try nbt.requireDate(rateDay("2026-05-19"), allowEarlier: true) }
        let cbu = try Fixture.publication("cbu-uz/json_all_en_2026-04-03.json", .cbu)
        do {
            try cbu.requireDate(rateDay("2026-04-10"))
            Issue.record("a CBU answer for another day must not pass")
        } catch {
            #expect(error.description.contains("is for 2026-04-03, not the requested 2026-04-10"))
        }
    }
}

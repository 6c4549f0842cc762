import CaravanCore
import Foundation
import Testing

@Suite struct SanityBandTests {
    let band = SanityBand.standard
    let previous = usdRate(.uzs, "12000", "2026-04-01", .cbu)

    @Test(arguments: [("12000", true), ("13200", true), ("10800", true), ("13200.01", false), ("10799.99", false), ("15000", false)])
    func bandIsTenPercentEitherWay(_ perUSD: String, _ accepted: Bool) {
        let verdict = band.assess(usdRate(.uzs, perUSD, "2026-04-02", .cbu), previous: previous)
        #expect(verdict.isAccepted == accepted)
    }

    @Test func firstRateOfACurrencyHasNoHistory() {
        #expect(band.assess(previous, previous: nil) == .noHistory)
    }

    @Test func aLargeMoveConfirmedByAnotherBankPasses() {
        let jump = usdRate(.uzs, "13500", "2026-04-02", .cbu)
        let witness = usdRate(.uzs, "13400", "2026-04-03", .cbr, via: .rub)
        let verdict = band.assess(jump, previous: previous, others: [witness])
        #expect(verdict == .confirmed(movePercent: exact("12.5"), by: witness))
        #expect(verdict.isAccepted)
    }

    @Test(arguments: [
        ("13500", "2026-04-02", RateSource.cbu),  // the same bank cannot confirm itself
        ("13000", "2026-04-02", .cbr),            // 3.7 % apart: outside the 2 % tolerance
        ("13500", "2026-04-09", .cbr),            // a week apart: outside the 3-day window
    ])
    func whatDoesNotConfirm(_ perUSD: String, _ date: String, _ source: RateSource) {
        let jump = usdRate(.uzs, "13500", "2026-04-02", .cbu)
        let other = Rate(currency: .uzs, perUSD: exact(perUSD), effectiveDate: rateDay(date), source: source,
                         crossVia: source == .cbu ? nil : .rub)
        #expect(band.assess(jump, previous: previous, others: [other]) == .heldBack(movePercent: exact("12.5")))
    }

    @Test func anotherCurrencyDoesNotConfirm() {
        let jump = usdRate(.uzs, "13500", "2026-04-02", .cbu)
        let unrelated = usdRate(.kzt, "13500", "2026-04-02", .nbk)
        #expect(!band.assess(jump, previous: previous, others: [unrelated]).isAccepted)
    }

    @Test func theBandIsConfigurable() {
        let tight = SanityBand(maximumMove: exact("0.05"), confirmationTolerance: exact("0.01"), confirmationWindowDays: 1)
        let move = usdRate(.uzs, "12700", "2026-04-02", .cbu)
        #expect(band.assess(move, previous: previous).isAccepted)
        #expect(!tight.assess(move, previous: previous).isAccepted)
        #expect(tight.assess(move, previous: previous, others: [usdRate(.uzs, "12750", "2026-04-03", .nbt, via: .tjs)]).isAccepted)
    }

    @Test func zeroOrNegativeRatesAreInvalid() {
        #expect(band.assess(usdRate(.uzs, "0", "2026-04-02", .cbu), previous: previous) == .invalid)
        #expect(band.assess(usdRate(.uzs, "-1", "2026-04-02", .cbu), previous: nil) == .invalid)
    }

    @Test func theMoveIsReported() {
        let verdict = band.assess(usdRate(.uzs, "11400", "2026-04-02", .cbu), previous: previous)
        #expect(verdict.movePercent == exact("-5"))
    }
}

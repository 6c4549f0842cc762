import CaravanCore
import Foundation
import Testing

@Suite struct RateChangeTests {
    @Test func nbkAprilFirstToSecond() {
        let change = RateChange(current: usdRate(.kzt, "475.09", "2026-04-02", .nbk), previous: usdRate(.kzt, "478.77", "2026-04-01", .nbk))
        #expect(change.percent(places: 4) == exact("-0.7686"))
        #expect(change.previousDate == rateDay("2026-04-01"))
        // Full precision: the unrounded figure carries far more than the four places the API prints.
        #expect(DecimalRounding.round(change.percent, places: 12) == exact("-0.768636297178"))
        #expect(RateFormat.change(change.percent) == "\u{2212}0.77 %")
    }

    @Test func cbuSecondToThird() {
        let change = RateChange(current: usdRate(.uzs, "12149.84", "2026-04-03", .cbu), previous: usdRate(.uzs, "12142.10", "2026-04-02", .cbu))
        #expect(change.percent(places: 4) == exact("0.0637"))
        #expect(RateFormat.change(change.percent) == "+0.06 %")
    }

    @Test func aRepeatedRateIsExactlyZero() {
        // NBT and CBU carry Friday's rate into the weekend; the TMT peg never moves.
        let change = RateChange(current: usdRate(.tjs, "9.3288", "2026-05-23", .nbt), previous: usdRate(.tjs, "9.3288", "2026-05-22", .nbt))
        #expect(change.percent == 0)
        #expect(change.percent.sign == .plus)
        #expect(RateFormat.change(change.percent) == "0.00 %")
        #expect(RateChange.percent(from: exact("3.5"), to: exact("3.5000")) == 0)
    }

    @Test func previousIsTheLatestEarlierPublicationNotYesterday() throws {
        let history = [
            usdRate(.kzt, "478.77", "2026-04-01", .nbk), usdRate(.kzt, "472.31", "2026-04-03", .nbk),
            usdRate(.kzt, "475.09", "2026-04-02", .nbk), usdRate(.kgs, "87.45", "2026-04-05", .nbkr),
        ]
        // Monday 06.04 compares with Friday 03.04: there is no weekend publication in between.
        let monday = usdRate(.kzt, "470.00", "2026-04-06", .nbk)
        let change = try #require(RateChange(current: monday, history: history + [monday]))
        #expect(change.previousDate == rateDay("2026-04-03"))
        #expect(RateChange(current: usdRate(.kzt, "478.77", "2026-04-01", .nbk), history: history) == nil)
    }
}

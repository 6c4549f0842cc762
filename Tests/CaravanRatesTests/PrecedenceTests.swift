import CaravanCore
import CaravanRates
import Foundation
import Testing

@Suite struct PrecedenceTests {
    // 2026-05-22 is a Friday.
    let fridayNBK = usdRate(.kzt, "475.00", "2026-05-22", .nbk)
    let thursdayNBK = usdRate(.kzt, "478.00", "2026-05-21", .nbk)
    let saturdayCBT = usdRate(.kzt, "471.80", "2026-05-23", .cbt, via: .tmt)
    let saturdayCBR = usdRate(.kzt, "472.10", "2026-05-23", .cbr, via: .rub)

    @Test func ownBankWinsOverANewerCrossAtTheWeekend() {
        let choice = RatePrecedence.choose(for: .kzt, on: rateDay("2026-05-24"), candidates: [saturdayCBT, fridayNBK, thursdayNBK],
                                           previous: thursdayNBK)
        #expect(choice.rate == fridayNBK)
        #expect(choice.outcome == .authoritative)
        #expect(!choice.isStale)
        // Only the newest rate of each source is considered.
        #expect(choice.assessments.map(\.rate) == [saturdayCBT, fridayNBK])
    }

    @Test func crossWhenTheOwnBankHasNothing() {
        let choice = RatePrecedence.choose(for: .kzt, on: rateDay("2026-05-23"), candidates: [saturdayCBT, saturdayCBR], previous: nil)
        #expect(choice.rate == saturdayCBR)  // same date: CBR before CBT
        #expect(choice.outcome == .cross(because: .noAuthoritativeRate))
        let newer = RatePrecedence.choose(for: .kzt, on: rateDay("2026-05-23"),
                                          candidates: [saturdayCBT, usdRate(.kzt, "472.0", "2026-05-22", .cbr, via: .rub)], previous: nil)
        #expect(newer.rate == saturdayCBT)  // a newer cross before a preferred but older one
    }

    @Test func crossWhenTheOwnRateIsHeldBack() {
        let jump = usdRate(.kzt, "560.00", "2026-05-23", .nbk)  // +17.9 % and no other bank agrees
        let choice = RatePrecedence.choose(for: .kzt, on: rateDay("2026-05-23"), candidates: [jump, saturdayCBT], previous: fridayNBK)
        #expect(choice.rate == saturdayCBT)
        #expect(choice.outcome == .cross(because: .authoritativeHeldBack))
        #expect(choice.heldBack == [jump])
    }

    @Test func ownRateMovingALotIsTakenWhenAnotherBankConfirmsIt() {
        let devaluation = usdRate(.kzt, "560.00", "2026-05-23", .nbk)
        let confirming = usdRate(.kzt, "556.00", "2026-05-23", .cbr, via: .rub)
        let choice = RatePrecedence.choose(for: .kzt, on: rateDay("2026-05-23"), candidates: [devaluation, confirming], previous: fridayNBK)
        #expect(choice.rate == devaluation)
        #expect(choice.outcome == .authoritative)
        #expect(choice.assessments.first { $0.rate == devaluation }?.verdict
            == .confirmed(movePercent: RateChange.percent(from: exact("475.00"), to: exact("560.00")), by: confirming))
    }

    @Test func freshCrossWhenTheOwnRateIsStale() {
        // On Wednesday 27 May, Friday's NBK rate has missed Monday and Tuesday.
        let tuesdayCBR = usdRate(.kzt, "472.50", "2026-05-26", .cbr, via: .rub)
        let choice = RatePrecedence.choose(for: .kzt, on: rateDay("2026-05-27"), candidates: [fridayNBK, tuesdayCBR], previous: fridayNBK)
        #expect(choice.rate == tuesdayCBR)
        #expect(choice.outcome == .cross(because: .authoritativeStale))
        #expect(!choice.isStale)
    }

    @Test func staleOwnRateWhenNothingIsFresh() {
        let choice = RatePrecedence.choose(for: .kzt, on: rateDay("2026-06-10"), candidates: [fridayNBK, saturdayCBT], previous: fridayNBK)
        #expect(choice.rate == fridayNBK)
        #expect(choice.outcome == .authoritative)
        #expect(choice.isStale)
    }

    @Test func everythingHeldBackOrNothingAtAll() {
        let wild = usdRate(.kzt, "600", "2026-05-23", .nbk)
        let wilder = usdRate(.kzt, "650", "2026-05-23", .cbt, via: .tmt)
        let choice = RatePrecedence.choose(for: .kzt, on: rateDay("2026-05-23"), candidates: [wild, wilder], previous: fridayNBK)
        #expect(choice.rate == nil)
        #expect(choice.outcome == .heldBack)
        #expect(Set(choice.heldBack) == [wild, wilder])
        let none = RatePrecedence.choose(for: .kgs, on: rateDay("2026-05-23"), candidates: [wild], previous: nil)
        #expect(none.outcome == .noCandidates)
    }

    @Test func ratesAfterTheDayAreIgnored() {
        let choice = RatePrecedence.choose(for: .kzt, on: rateDay("2026-05-21"), candidates: [fridayNBK, thursdayNBK], previous: nil)
        #expect(choice.rate == thursdayNBK)
    }

    /// CBU's 01.04.2026 TMT (4037.68 UZS) crosses to 3.02 TMT per dollar, against the 3.5 peg.
    @Test func cbuTMTOutlierIsHeldBack() throws {
        let peg = usdRate(.tmt, "3.5", "2026-03-31", .cbt)
        let april1 = try #require(try Fixture.publication("cbu-uz/json_all_en_2026-04-01.json", .cbu).crossRates(for: [.tmt]).first)
        #expect(DecimalRounding.round(april1.perUSD, places: 4) == exact("3.0201"))
        let choice = RatePrecedence.choose(for: .tmt, on: rateDay("2026-04-01"), candidates: [april1], previous: peg)
        #expect(choice.outcome == .heldBack)
        #expect(choice.rate == nil)
        #expect(choice.heldBack == [april1])
        let move = try #require(choice.assessments.first?.verdict.movePercent)
        #expect(DecimalRounding.round(move, places: 2) == exact("-13.71"))

        let april2 = try #require(try Fixture.publication("cbu-uz/json_all_en_2026-04-02.json", .cbu).crossRates(for: [.tmt]).first)
        let next = RatePrecedence.choose(for: .tmt, on: rateDay("2026-04-02"), candidates: [april1, april2], previous: peg)
        #expect(next.rate == april2)
        #expect(next.outcome == .cross(because: .noAuthoritativeRate))
    }

    /// Had the outlier been accepted, the return to the peg would itself be a 15.9 % jump: CBT's peg confirms it.
    @Test func theReturnToThePegIsConfirmedByCBT() throws {
        let april1 = try #require(try Fixture.publication("cbu-uz/json_all_en_2026-04-01.json", .cbu).crossRates(for: [.tmt]).first)
        let april2 = try #require(try Fixture.publication("cbu-uz/json_all_en_2026-04-02.json", .cbu).crossRates(for: [.tmt]).first)
        let band = SanityBand.standard
        #expect(!band.assess(april2, previous: april1).isAccepted)
        let peg = usdRate(.tmt, "3.5", "2026-04-02", .cbt)
        guard case .confirmed(let move, let witness) = band.assess(april2, previous: april1, others: [peg]) else {
            Issue.record("the peg should confirm the move")
            return
        }
        #expect(witness == peg)
        #expect(DecimalRounding.round(move, places: 1) == exact("15.9"))
    }
}

@Suite struct ConfirmationTimingTests {
    /// NBK devalues on Monday; CBR's cross only shows it from Tuesday. Monday keeps Friday's rate, Tuesday takes NBK's.
    @Test func aJumpIsAcceptedOnceAnotherBankHasPublishedIt() throws {
        let friday = usdRate(.kzt, "475", "2026-05-22", .nbk)
        let monday = usdRate(.kzt, "560", "2026-05-25", .nbk)
        let tuesdayCross = usdRate(.kzt, "558", "2026-05-26", .cbr, via: .rub)
        let board = RateBoard(rates: [friday, monday, tuesdayCross])
        let onMonday = try #require(board.entry(for: .kzt, on: rateDay("2026-05-25")))
        #expect(onMonday.rate == friday)
        #expect(onMonday.choice.heldBack == [monday])
        let onTuesday = try #require(board.entry(for: .kzt, on: rateDay("2026-05-26")))
        #expect(onTuesday.rate == monday)
        #expect(onTuesday.choice.outcome == .authoritative)
        #expect(onTuesday.previous == friday)
    }
}

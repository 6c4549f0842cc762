import CaravanCore
import Foundation
import Testing

@Suite struct PublicationScheduleTests {
    // 2026-05-22 is a Friday, 2026-05-23 a Saturday, 2026-05-24 a Sunday.
    @Test(arguments: [
        (RateSource.nbk, "2026-05-22", "2026-05-22", false), (.nbk, "2026-05-22", "2026-05-24", false),
        (.nbk, "2026-05-22", "2026-05-25", false), (.nbk, "2026-05-22", "2026-05-26", true),
        (.nbk, "2026-05-20", "2026-05-21", false), (.nbk, "2026-05-20", "2026-05-22", true),
        (.nbkr, "2026-05-24", "2026-05-23", false), (.nbkr, "2026-05-24", "2026-05-25", false),
        (.nbt, "2026-05-20", "2026-05-21", false), (.nbt, "2026-05-20", "2026-05-24", true),
        (.cbu, "2026-04-03", "2026-04-05", false), (.cbu, "2026-04-03", "2026-04-07", true),
        (.cbt, "2026-05-22", "2026-05-23", false), (.cbt, "2026-05-22", "2026-05-24", false),
        (.cbt, "2026-05-22", "2026-05-25", true),
        (.cbr, "2026-04-25", "2026-04-27", false), (.cbr, "2026-04-25", "2026-04-28", false),
        (.cbr, "2026-04-25", "2026-04-29", true),
    ])
    func standardSchedules(_ source: RateSource, _ effective: String, _ today: String, _ stale: Bool) {
        let schedule = PublicationSchedule.standard(for: source)
        #expect(schedule.isStale(effectiveDate: rateDay(effective), asOf: rateDay(today)) == stale)
    }

    @Test func holidaysDoNotCount() {
        // Nauryz 2026 falls on Saturday 21 to Monday 23 March: Friday's NBK rate is still current on Tuesday.
        let schedule = PublicationSchedule.standard(for: .nbk)
        #expect(schedule.isStale(effectiveDate: rateDay("2026-03-20"), asOf: rateDay("2026-03-24")))
        #expect(!schedule.isStale(effectiveDate: rateDay("2026-03-20"), asOf: rateDay("2026-03-24"), holidays: [rateDay("2026-03-23")]))
    }

    @Test func weeklyFileIsValidSevenDaysPlusGrace() {
        let weekly = PublicationSchedule.nbkrWeekly
        #expect(!weekly.isStale(effectiveDate: rateDay("2026-05-23"), asOf: rateDay("2026-05-29")))
        #expect(!weekly.isStale(effectiveDate: rateDay("2026-05-23"), asOf: rateDay("2026-05-31")))
        #expect(weekly.isStale(effectiveDate: rateDay("2026-05-23"), asOf: rateDay("2026-06-01")))
    }

    @Test func aFutureEffectiveDateIsNotStale() {
        // NBKR's daily.xml fetched on Saturday already carries Sunday's date.
        #expect(!PublicationSchedule.standard(for: .nbkr).isStale(effectiveDate: rateDay("2026-05-24"), asOf: rateDay("2026-05-23")))
    }

    @Test func staleAtAnInstantIsReckonedInTheSiteTimeZone() {
        let friday = usdRate(.kzt, "475.09", "2026-05-22", .nbk)
        // Monday 2026-05-25 21:30 UTC is already Tuesday in Almaty, when Friday's rate is two publication days old.
        let mondayEveningUTC = Date(timeIntervalSince1970: 1_779_744_600)
        #expect(!friday.isStale(now: mondayEveningUTC, timeZone: TimeZone(identifier: "UTC")!))
        #expect(friday.isStale(now: mondayEveningUTC))
        let sundayNoon = Date(timeIntervalSince1970: 1_779_624_000)  // 2026-05-24T12:00:00Z
        #expect(!friday.isStale(now: sundayNoon))
    }

    @Test func missedDaysAreCounted() {
        let schedule = PublicationSchedule.standard(for: .nbk)
        #expect(schedule.missedPublicationDays(after: rateDay("2026-05-22"), through: rateDay("2026-05-24")) == 0)
        #expect(schedule.missedPublicationDays(after: rateDay("2026-05-22"), through: rateDay("2026-05-25")) == 1)
    }
}

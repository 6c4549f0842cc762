import CaravanCore
import Foundation
import Testing

@Suite struct DayTests {
    @Test(arguments: ["2026-05-24", "2000-02-29", "1970-01-01", "0001-01-01", "9999-12-31", "2024-12-31"])
    func isoRoundTrip(_ text: String) throws {
        let parsed = try #require(Day(iso: text))
        #expect(parsed.iso == text)
        #expect(parsed.description == text)
    }

    @Test(arguments: ["2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "26-05-24", "2026-5-24",
                      "2026/05/24", "24.05.2026", "", "2026-05-24T00:00", " 2026-05-24", "２０２６-05-24"])
    func rejectsWhatIsNotAnISODay(_ text: String) {
        #expect(Day(iso: text) == nil)
    }

    @Test(arguments: [
        ("1970-01-01", Weekday.thursday), ("2026-05-24", .sunday), ("2026-05-22", .friday), ("2026-04-01", .wednesday),
        ("2000-02-29", .tuesday), ("2013-12-15", .sunday), ("1900-03-01", .thursday), ("2100-12-31", .friday),
    ])
    func weekday(_ text: String, _ expected: Weekday) {
        #expect(rateDay(text).weekday == expected)
    }

    @Test(arguments: [
        ("2026-05-24", 1, "2026-05-25"), ("2026-05-31", 1, "2026-06-01"), ("2024-02-28", 1, "2024-02-29"),
        ("2026-02-28", 1, "2026-03-01"), ("2026-12-31", 1, "2027-01-01"), ("2026-01-01", -1, "2025-12-31"),
        ("2026-03-01", -1, "2026-02-28"), ("2026-04-01", 365, "2027-04-01"), ("2000-01-01", 9_862, "2027-01-01"),
    ])
    func addingDays(_ start: String, _ count: Int, _ expected: String) {
        #expect(rateDay(start).adding(days: count) == rateDay(expected))
        #expect(rateDay(start).days(until: rateDay(expected)) == count)
    }

    @Test func agreesWithFoundationCalendarOverTwoCenturies() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let origin = rateDay("1900-01-01")
        let originDate = calendar.date(from: DateComponents(year: 1900, month: 1, day: 1))!
        for offset in stride(from: 0, to: 73_000, by: 37) {
            let date = calendar.date(byAdding: .day, value: offset, to: originDate)!
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            let expected = Day(year: parts.year!, month: parts.month!, day: parts.day!)!
            let computed = origin.adding(days: offset)
            #expect(computed == expected)
            // Foundation counts Sunday as 1; ISO counts Monday as 1.
            #expect(computed.weekday.rawValue == (parts.weekday! + 5) % 7 + 1)
        }
    }

    @Test func ordersChronologically() {
        let days = ["2026-05-24", "2025-12-31", "2026-01-01", "2026-05-03"].map(rateDay)
        #expect(days.sorted().map(\.iso) == ["2025-12-31", "2026-01-01", "2026-05-03", "2026-05-24"])
    }

    @Test func codableAsISOString() throws {
        let encoded = try JSONEncoder().encode([rateDay("2026-05-24")])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["2026-05-24"]"#)
        #expect(try JSONDecoder().decode([Day].self, from: encoded) == [rateDay("2026-05-24")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Day].self, from: Data(#"["24.05.2026"]"#.utf8)) }
    }

    @Test func instantsOutsideTheYearRangeAreClamped() {
        let utc = TimeZone(identifier: "UTC")!
        #expect(Day(Date(timeIntervalSince1970: 1e15), in: utc) == rateDay("9999-12-31"))
        #expect(Day(Date(timeIntervalSince1970: -1e15), in: utc) == rateDay("0001-01-01"))
    }

    @Test func calendarDayOfAnInstantInTheSiteTimeZone() {
        // 20:30 UTC on Saturday is already Sunday in Almaty (UTC+5 or +6 depending on the tz database).
        let instant = Date(timeIntervalSince1970: 1_779_568_200)  // 2026-05-23T20:30:00Z
        #expect(Day(instant, in: TimeZone(identifier: "UTC")!) == rateDay("2026-05-23"))
        #expect(Day(instant, in: PublicationSchedule.siteTimeZone) == rateDay("2026-05-24"))
    }
}

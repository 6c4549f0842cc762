import CaravanCore
import CaravanRates
import Foundation
import Testing

/// When the poller runs next: times of day in Asia/Almaty (UTC+5 all year, no daylight saving).
@Suite struct RatesScheduleTests {
    static let almaty = TimeZone(identifier: "Asia/Almaty")!

    /// (now, schedule, next run), instants in UTC; Almaty is five hours ahead.
    static let cases: [(now: String, times: String, next: String)] = [
        // 08:00 in Almaty: the morning run is next.
        ("2026-04-03T03:00:00Z", "09:30,13:30,17:30", "2026-04-03T04:30:00Z"),
        // A second before a slot, and exactly at it: "after" is strict.
        ("2026-04-03T04:29:59Z", "09:30,13:30,17:30", "2026-04-03T04:30:00Z"),
        ("2026-04-03T04:30:00Z", "09:30,13:30,17:30", "2026-04-03T08:30:00Z"),
        ("2026-04-03T08:31:00Z", "09:30,13:30,17:30", "2026-04-03T12:30:00Z"),
        // After the last slot the next one is tomorrow morning.
        ("2026-04-03T12:30:00Z", "09:30,13:30,17:30", "2026-04-04T04:30:00Z"),
        // 23:59 in Almaty, and 00:00 the next day (still the 3rd in UTC).
        ("2026-04-03T18:59:00Z", "09:30,13:30,17:30", "2026-04-04T04:30:00Z"),
        ("2026-04-03T19:00:00Z", "09:30,13:30,17:30", "2026-04-04T04:30:00Z"),
        // 02:00 on the 4th in Almaty is still the 3rd in UTC: the day is Almaty's.
        ("2026-04-03T21:00:00Z", "01:00,03:00", "2026-04-03T22:00:00Z"),
        // A slot at midnight, asked at midnight, is the next midnight.
        ("2026-04-03T19:00:00Z", "00:00", "2026-04-04T19:00:00Z"),
        ("2026-04-03T18:59:59Z", "00:00", "2026-04-03T19:00:00Z"),
        // A late-evening slot across the end of the year, and a leap day.
        ("2026-12-31T18:00:00Z", "23:45", "2026-12-31T18:45:00Z"),
        ("2026-12-31T18:45:00Z", "23:45", "2027-01-01T18:45:00Z"),
        ("2028-02-28T13:00:00Z", "09:30", "2028-02-29T04:30:00Z"),
        // Order and repeats in the option do not matter.
        ("2026-04-03T09:00:00Z", "17:30,09:30,09:30", "2026-04-03T12:30:00Z"),
        // The dates of 2026's European clock change mean nothing in Almaty.
        ("2026-03-29T03:00:00Z", "09:30", "2026-03-29T04:30:00Z"),
        ("2026-10-25T05:00:00Z", "09:30", "2026-10-26T04:30:00Z"),
    ]

    @Test func nextRunFromNow() throws {
        for (now, times, next) in Self.cases {
            let schedule = try RatesSchedule(parsing: times, timeZone: Self.almaty)
            #expect(schedule.nextRun(after: instant(now)) == instant(next), "now \(now), schedule \(times)")
        }
    }

    @Test func standardScheduleIsThreeTimesADayInAlmaty() {
        let schedule = RatesSchedule.standard()
        #expect(schedule.times.map(\.description) == ["09:30", "13:30", "17:30"])
        #expect(schedule.timeZone.identifier == "Asia/Almaty")
        #expect(schedule.description == "09:30,13:30,17:30 Asia/Almaty")
    }

    @Test func parsing() {
        let good: [(String, [String])] = [
            ("09:30", ["09:30"]),
            ("9:05, 17:30", ["09:05", "17:30"]),
            ("23:59,00:00", ["00:00", "23:59"]),
        ]
        for (text, expected) in good {
            #expect((try? RatesSchedule(parsing: text, timeZone: Self.almaty))?.times.map(\.description) == expected, "\(text)")
        }
        let bad: [(String, String)] = [
            ("", ""), ("24:00", "24:00"), ("12:60", "12:60"), ("noon", "noon"), ("9.30", "9.30"),
            ("09:30,", ""), ("09:3", "09:3"), ("-1:00", "-1:00"), ("123:00", "123:00"),
        ]
        for (text, piece) in bad {
            #expect(throws: RatesScheduleError(text: text, piece: piece), "\(text)") {
                try RatesSchedule(parsing: text, timeZone: Self.almaty)
            }
        }
        #expect(RatesScheduleError(text: "9:30,25:00", piece: "25:00").description.contains("\"25:00\" is not HH:MM from 00:00 to 23:59"))
    }

    private func instant(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }
}

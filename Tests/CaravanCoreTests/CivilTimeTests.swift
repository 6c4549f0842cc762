import CaravanCore
import Foundation
import Testing

/// Days-to-date arithmetic against Foundation's Gregorian calendar, the reference it replaces on the hot path.
@Suite("Civil time from seconds")
struct CivilTimeTests {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (951_868_799, "2000-02-29T23:59:59Z"),
        (-2_203_977_600, "1900-02-28T00:00:00Z"),
        (-2_203_891_200, "1900-03-01T00:00:00Z"),
        (1_709_164_800, "2024-02-29T00:00:00Z"),
        (4_102_444_799, "2099-12-31T23:59:59Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
        (253_402_300_800, "10000-01-01T00:00:00Z"),
        (1_000_000_000, "2001-09-09T01:46:40Z"),
        (-62_135_596_800, "0001-01-01T00:00:00Z"),
        (-62_167_219_200, "0000-01-01T00:00:00Z"),
        (-62_198_755_200, "-0001-01-01T00:00:00Z"),
    ])
    func knownMoments(seconds: Int64, expected: String) {
        #expect(DateLine.iso8601(Date(timeIntervalSince1970: Double(seconds))) == expected)
    }

    @Test(arguments: [(1970, Int64(0)), (1969, -31_536_000), (2000, 946_684_800), (2001, 978_307_200), (1900, -2_208_988_800),
        (2024, 1_704_067_200), (1600, -11_676_096_000), (1, -62_135_596_800), (0, -62_167_219_200), (-1, -62_198_755_200)])
    func yearsBeginAtMidnightOnTheFirstOfJanuary(year: Int, seconds: Int64) {
        #expect(CivilTime.startOfYear(year) == seconds)
        let first = CivilTime(seconds: seconds)
        #expect([first.year, first.month, first.day, first.hour] == [year, 1, 1, 0] as [Int])
        #expect(CivilTime(seconds: seconds - 1).year == year - 1)
    }

    @Test func everyMomentLiesWithinItsYearsSpan() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let seconds = Int64.random(in: -70_000_000_000...300_000_000_000, using: &generator)
            let year = CivilTime(seconds: seconds).year
            #expect(CivilTime.startOfYear(year) <= seconds && seconds < CivilTime.startOfYear(year + 1), "\(seconds)")
        }
    }

    @Test func agreesWithTheCalendarAcrossCenturies() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let seconds = Int64.random(in: -6_000_000_000...8_000_000_000, using: &generator)
            let time = CivilTime(seconds: seconds)
            let parts = Self.utc.dateComponents(
                [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(seconds)))
            #expect(
                [time.year, time.month, time.day, time.hour, time.minute, time.second]
                    == [parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second].map { $0! },
                "\(seconds)")
        }
    }

    // The search's year facet: midnights, the last second of years, leap days, and moments before 1970.
    @Test(
        arguments: [
            0, -1, 86_399, 86_400, 951_782_399, 951_782_400, 1_704_067_199, 1_704_067_200, 1_709_164_800,
            -2_208_988_800, -2_208_988_801, 4_102_444_799, 4_102_444_800, 536_457_599, 536_457_600,
        ] as [Int64])
    func yearMatchesTheCalendar(seconds: Int64) {
        let expected = Self.utc.component(.year, from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        #expect(CivilTime(seconds: seconds).year == expected)
    }

    @Test func absurdTimesDoNotCrash() {
        for seconds in [Int64.max, Int64.min, Int64.max - 1, Int64.min + 1] { _ = CivilTime(seconds: seconds) }
        for seconds in [Double.infinity, -Double.infinity, Double.nan, 1e300, -1e300] {
            _ = DateLine.iso8601(Date(timeIntervalSince1970: seconds))
        }
        #expect(DateLine.iso8601(Date(timeIntervalSince1970: .nan)) == "1970-01-01T00:00:00Z")
    }

    @Test func fractionsOfASecondRoundDown() {
        #expect(DateLine.iso8601(Date(timeIntervalSince1970: 59.999)) == "1970-01-01T00:00:59Z")
        #expect(DateLine.iso8601(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59Z")
    }
}

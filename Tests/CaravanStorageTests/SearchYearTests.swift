@testable import CaravanStorage
import Foundation
import Testing

@Suite("The year facet's calendar arithmetic")
struct SearchYearTests {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    // Midnights, the last second of years, leap days, and moments before 1970.
    @Test(arguments: [
        0, -1, 86_399, 86_400, 951_782_399, 951_782_400, 1_704_067_199, 1_704_067_200, 1_709_164_800,
        -2_208_988_800, -2_208_988_801, 4_102_444_799, 4_102_444_800, 536_457_599, 536_457_600,
    ] as [Int64])
    func yearMatchesTheCalendar(seconds: Int64) {
        let expected = Self.utc.component(.year, from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        #expect(FTS5SearchIndex.year(ofSeconds: seconds) == expected)
    }

    @Test func everyDayOfFourCenturies() {
        var seconds: Int64 = -6_311_433_600  // 1 January 1770
        while seconds < 6_311_433_600 {
            let expected = Self.utc.component(.year, from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            if FTS5SearchIndex.year(ofSeconds: seconds) != expected {
                Issue.record("\(seconds) gave \(FTS5SearchIndex.year(ofSeconds: seconds)), expected \(expected)")
                return
            }
            seconds += 86_400 * 7 + 3_601
        }
    }
}

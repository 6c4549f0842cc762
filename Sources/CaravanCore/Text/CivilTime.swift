import Foundation

/// A moment as calendar date and clock time in the proleptic Gregorian calendar, from seconds since 1970 in some
/// fixed offset: plain arithmetic (days to civil date), because `Calendar` costs microseconds a call and pages and
/// the API print dates by the dozen.
public struct CivilTime: Sendable, Hashable {
    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int

    /// Beyond this many seconds either side of 1970 (about 31 million years) times are held at the limit, so that no
    /// stored value, however absurd, overflows the arithmetic.
    static let limit: Int64 = 1_000_000_000_000_000

    /// The civil time `seconds` after 1970-01-01T00:00:00 (negative before it).
    public init(seconds: Int64) {
        let seconds = min(max(seconds, -Self.limit), Self.limit)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        year = Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))
        hour = secondOfDay / 3_600
        minute = secondOfDay % 3_600 / 60
        second = secondOfDay % 60
    }

    /// The seconds after 1970 at which `year` begins (1 January, 00:00:00), the inverse of `init(seconds:)` there.
    public static func startOfYear(_ year: Int) -> Int64 {
        // March-based years, as above: 1 January belongs to the year before's cycle.
        let shiftedYear = Int64(year) - 1
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + 306
        return (era * 146_097 + dayOfEra - 719_468) * 86_400
    }

    /// The civil time of a date in UTC, to the second below; a date that is not finite is taken as 1970.
    public init(_ date: Date) {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite else {
            self.init(seconds: 0)
            return
        }
        self.init(seconds: Int64(min(max(seconds.rounded(.down), -Double(Self.limit)), Double(Self.limit))))
    }
}

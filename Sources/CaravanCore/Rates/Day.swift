import Foundation

/// A calendar day with no time or zone: the effective date of a published rate.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Returns nil for a date that does not exist (31 April, 29 February 2026) or a year outside 1...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Day.length(ofMonth: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD` (the form used in URLs, JSON and storage).
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Day.digits(parts[0]), let m = Day.digits(parts[1]), let d = Day.digits(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The calendar day that `date` falls on in `timeZone`.
    public init(_ date: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.era, .year, .month, .day], from: date)
        let year = parts.era == 0 ? 0 : parts.year ?? 1970
        // Instants beyond years 1...9999 are clamped rather than trapping.
        self = Day(year: year, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? (year < 1 ? Day(year: 1, month: 1, day: 1)! : Day(year: 9999, month: 12, day: 31)!)
    }

    /// `YYYY-MM-DD`.
    public var iso: String {
        Day.pad(year, 4) + "-" + Day.pad(month, 2) + "-" + Day.pad(day, 2)
    }

    public var description: String { iso }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// The day `count` days later (earlier when negative).
    public func adding(days count: Int) -> Day {
        Day(ordinal: ordinal + count)
    }

    /// Whole days from `self` to `other` (negative when `other` is earlier).
    public func days(until other: Day) -> Int {
        other.ordinal - ordinal
    }

    public var weekday: Weekday {
        // Day 0 of the ordinal count, 1970-01-01, was a Thursday.
        let mondayBased = ((ordinal % 7) + 7 + 3) % 7
        return Weekday(rawValue: mondayBased + 1)!
    }

    // MARK: - Day arithmetic on a proleptic Gregorian count of days since 1970-01-01

    private var ordinal: Int { Day.ordinal(year: year, month: month, day: day) }

    private init(ordinal: Int) {
        // Estimate the year, then correct it against the exact forward count.
        var y = 1970 + Day.floorDiv(ordinal * 400, 146_097)
        while Day.ordinal(year: y + 1, month: 1, day: 1) <= ordinal { y += 1 }
        while Day.ordinal(year: y, month: 1, day: 1) > ordinal { y -= 1 }
        var m = 12
        while Day.ordinal(year: y, month: m, day: 1) > ordinal { m -= 1 }
        let d = ordinal - Day.ordinal(year: y, month: m, day: 1) + 1
        self.year = y
        self.month = m
        self.day = d
    }

    private static func ordinal(year: Int, month: Int, day: Int) -> Int {
        // Count from 1 March of year 0 so that the leap day is the last day of the counting year.
        let y = month <= 2 ? year - 1 : year
        let shiftedMonth = (month + 9) % 12
        let daysBeforeYear = 365 * y + floorDiv(y, 4) - floorDiv(y, 100) + floorDiv(y, 400)
        let daysBeforeMonth = (153 * shiftedMonth + 2) / 5
        return daysBeforeYear + daysBeforeMonth + day - 1 - 719_468
    }

    private static func floorDiv(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    private static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func length(ofMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func digits(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

extension Day: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = Day(iso: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a date as YYYY-MM-DD, found \"\(text)\"")
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

/// ISO 8601 weekday numbers: Monday is 1, Sunday is 7.
public enum Weekday: Int, CaseIterable, Comparable, Sendable {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    public static let workdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}

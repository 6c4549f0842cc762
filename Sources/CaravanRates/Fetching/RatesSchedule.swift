import CaravanCore
import Foundation

/// The times of day, in the site's time zone, at which the poller fetches the rates.
public struct RatesSchedule: Hashable, Sendable, CustomStringConvertible {
    /// A wall-clock time, minutes precision.
    public struct TimeOfDay: Hashable, Comparable, Sendable, CustomStringConvertible {
        public let hour: Int
        public let minute: Int

        public init?(hour: Int, minute: Int) {
            guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
            self.hour = hour
            self.minute = minute
        }

        /// Parses `HH:MM` or `H:MM` (24-hour clock).
        public init?(_ text: String) {
            let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
                  parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
            self.init(hour: hour, minute: minute)
        }

        public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool {
            (lhs.hour, lhs.minute) < (rhs.hour, rhs.minute)
        }

        public var description: String {
            (hour < 10 ? "0\(hour)" : "\(hour)") + ":" + (minute < 10 ? "0\(minute)" : "\(minute)")
        }
    }

    /// Sorted, without repeats, never empty.
    public let times: [TimeOfDay]
    public let timeZone: TimeZone

    /// Returns nil for an empty list.
    public init?(times: [TimeOfDay], timeZone: TimeZone) {
        let sorted = Set(times).sorted()
        guard !sorted.isEmpty else { return nil }
        self.times = sorted
        self.timeZone = timeZone
    }

    /// Parses a comma-separated list such as `09:30,13:30,17:30`.
    public init(parsing text: String, timeZone: TimeZone) throws(RatesScheduleError) {
        var times: [TimeOfDay] = []
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let time = TimeOfDay(String(piece)) else { throw RatesScheduleError(text: text, piece: String(piece)) }
            times.append(time)
        }
        guard let schedule = RatesSchedule(times: times, timeZone: timeZone) else {
            throw RatesScheduleError(text: text, piece: text)
        }
        self = schedule
    }

    /// Three runs a working day can use: the morning one finds the day's rates, the later ones catch late or failed feeds.
    public static let standardTimes = "09:30,13:30,17:30"

    /// `standardTimes` in `timeZone` (Asia/Almaty by default).
    public static func standard(timeZone: TimeZone = PublicationSchedule.siteTimeZone) -> RatesSchedule {
        // The constant is well formed, so this cannot fail.
        (try? RatesSchedule(parsing: standardTimes, timeZone: timeZone))!
    }

    /// The first scheduled instant strictly after `now`.
    public func nextRun(after now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = Day(now, in: timeZone)
        // Two days ahead is enough even when a time is skipped by a daylight-saving jump.
        for offset in 0...2 {
            let day = today.adding(days: offset)
            for time in times {
                let parts = DateComponents(year: day.year, month: day.month, day: day.day, hour: time.hour, minute: time.minute)
                if let instant = calendar.date(from: parts), instant > now { return instant }
            }
        }
        return now.addingTimeInterval(24 * 3600)
    }

    /// The latest scheduled time at or before `now` (yesterday's last one early in the morning).
    public func previousRun(atOrBefore now: Date) -> Date {
        var candidate = nextRun(after: now.addingTimeInterval(-2 * 86_400))
        var latest = candidate
        while candidate <= now {
            latest = candidate
            candidate = nextRun(after: candidate)
        }
        return latest
    }

    public var description: String {
        times.map(\.description).joined(separator: ",") + " " + timeZone.identifier
    }
}

/// A schedule that cannot be read, with the piece that is wrong.
public struct RatesScheduleError: Error, Hashable, Sendable, CustomStringConvertible {
    public let text: String
    public let piece: String

    public init(text: String, piece: String) {
        self.text = text
        self.piece = piece
    }

    public var description: String {
        "the rates schedule \"\(text)\" is not a comma-separated list of times of day: \"\(piece)\" is not HH:MM "
            + "from 00:00 to 23:59 (for example 09:30,13:30,17:30)"
    }
}

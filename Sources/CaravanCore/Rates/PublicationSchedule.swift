import Foundation

/// When a source normally has a new effective date, and so when its latest rate has become stale.
///
/// A daily rate is stale once more than `graceDays` of the source's publication weekdays (minus known holidays)
/// have passed after its effective date without a newer one. Weekends are not publication days for the
/// national banks, so a Friday rate is fresh on Saturday and Sunday, and still on Monday (one grace day for a late
/// fetch or a one-day holiday); it is stale on Tuesday. Longer holidays need to be passed in `holidays`.
/// A weekly publication is stale once `validForDays + graceDays` calendar days have passed.
public struct PublicationSchedule: Hashable, Sendable {
    /// Weekdays on which the source normally puts a new rate into effect.
    public var effectiveWeekdays: Set<Weekday>
    /// Publication days that may pass without a new rate before it is stale.
    public var graceDays: Int
    /// For a weekly file (NBKR `weekly.xml`, `ValidFor` 7): calendar days a publication stays valid.
    public var validForDays: Int?

    public init(effectiveWeekdays: Set<Weekday>, graceDays: Int = 1, validForDays: Int? = nil) {
        self.effectiveWeekdays = effectiveWeekdays
        self.graceDays = graceDays
        self.validForDays = validForDays
    }

    /// The site's time zone, in which "today" is reckoned (Asia/Almaty).
    public static let siteTimeZone: TimeZone =
        TimeZone(identifier: "Asia/Almaty") ?? TimeZone(secondsFromGMT: 5 * 3600) ?? TimeZone.current

    /// The normal daily schedule of each bank's own rates.
    public static func standard(for source: RateSource) -> PublicationSchedule {
        switch source {
        // Business-day rates; NBT and CBU carry them over weekends, NBK and NBKR may publish nothing then.
        case .nbk, .nbkr, .nbt, .cbu: return PublicationSchedule(effectiveWeekdays: Weekday.workdays)
        // cbt.tm has a file for every day but Sunday (Sunday answers 404).
        case .cbt: return PublicationSchedule(effectiveWeekdays: Weekday.workdays.union([.saturday]))
        // A CBR rate fixed on a business day takes effect the next day; Saturday's also covers Sunday and Monday.
        case .cbr: return PublicationSchedule(effectiveWeekdays: [.tuesday, .wednesday, .thursday, .friday, .saturday])
        }
    }

    /// NBKR `weekly.xml` (TJS, UZS, TMT among others): valid 7 days, with two days' grace.
    public static let nbkrWeekly = PublicationSchedule(effectiveWeekdays: [], graceDays: 2, validForDays: 7)

    /// Publication days after `effectiveDate`, up to and including `today`, that are not `holidays`.
    public func missedPublicationDays(after effectiveDate: Day, through today: Day, holidays: Set<Day> = []) -> Int {
        guard effectiveDate < today else { return 0 }
        var count = 0
        var day = effectiveDate.adding(days: 1)
        while day <= today {
            if effectiveWeekdays.contains(day.weekday), !holidays.contains(day) { count += 1 }
            if count > graceDays { break }
            day = day.adding(days: 1)
        }
        return count
    }

    /// True when a rate in effect from `effectiveDate` is older than this schedule allows on `today`.
    public func isStale(effectiveDate: Day, asOf today: Day, holidays: Set<Day> = []) -> Bool {
        if let validForDays {
            return effectiveDate.days(until: today) >= validForDays + graceDays
        }
        return missedPublicationDays(after: effectiveDate, through: today, holidays: holidays) > graceDays
    }

    /// True when a rate in effect from `effectiveDate` is stale at `now`, "today" being reckoned in `timeZone`.
    public func isStale(effectiveDate: Day, now: Date, timeZone: TimeZone = PublicationSchedule.siteTimeZone,
                        holidays: Set<Day> = []) -> Bool {
        isStale(effectiveDate: effectiveDate, asOf: Day(now, in: timeZone), holidays: holidays)
    }
}

extension Rate {
    /// True when this rate is older than its source's standard schedule allows at `now` (the API's `stale`).
    public func isStale(now: Date, timeZone: TimeZone = PublicationSchedule.siteTimeZone, holidays: Set<Day> = []) -> Bool {
        PublicationSchedule.standard(for: source).isStale(
            effectiveDate: effectiveDate, now: now, timeZone: timeZone, holidays: holidays)
    }
}

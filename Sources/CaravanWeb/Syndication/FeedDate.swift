import CaravanCore
import Foundation

/// The two date formats feeds use, always in UTC so a reader's client does the time-zone work.
enum FeedDate {
    /// RFC 822 (with a four-digit year, as RSS 2.0 asks): "Sat, 08 Feb 2025 04:00:00 +0000".
    static func rfc822(_ date: Date) -> String {
        dayAndTime(date) + " +0000"
    }

    /// HTTP's IMF-fixdate, for `Last-Modified`: "Sat, 08 Feb 2025 04:00:00 GMT".
    static func http(_ date: Date) -> String {
        dayAndTime(date) + " GMT"
    }

    private static func dayAndTime(_ date: Date) -> String {
        let parts = utc.dateComponents([.weekday, .year, .month, .day, .hour, .minute, .second], from: date)
        let month = DateLine.months[parts.month! - 1].prefix(3)
        return "\(days[parts.weekday! - 1]), \(pad(parts.day!)) \(month) \(parts.year!) "
            + "\(pad(parts.hour!)):\(pad(parts.minute!)):\(pad(parts.second!))"
    }

    /// RFC 3339 in UTC, second precision: "2025-02-08T04:00:00Z" (Atom, JSON Feed, sitemaps).
    static func rfc3339(_ date: Date) -> String {
        DateLine.iso8601(date)
    }

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

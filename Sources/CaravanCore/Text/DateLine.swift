import Foundation

/// Dates as the newsroom prints them, always in the site's time zone.
public struct DateLine: Sendable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// "08 February 2025": the masthead's date line.
    public func day(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(twoDigits(parts.day!)) \(Self.months[parts.month! - 1]) \(parts.year!)"
    }

    /// "8 February 2025, 14:05": a story's timestamp.
    public func dayAndTime(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(parts.day!) \(Self.months[parts.month! - 1]) \(parts.year!), \(twoDigits(parts.hour!)):\(twoDigits(parts.minute!))"
    }

    /// "8 Feb 2025": compact, for teasers.
    public func shortDay(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(parts.day!) \(Self.months[parts.month! - 1].prefix(3)) \(parts.year!)"
    }

    /// The value for a `<time datetime>` attribute and for APIs: UTC, second precision ("2025-02-08T09:00:00Z").
    public static func iso8601(_ date: Date) -> String {
        let time = CivilTime(date)
        // Written as bytes: a search answer dates every story on its page, and building the pieces as strings cost
        // more than the rest of a result.
        if (0...9_999).contains(time.year) {
            var bytes = [UInt8](repeating: UInt8(ascii: "0"), count: 20)
            func put(_ value: Int, at end: Int) {
                var (value, at) = (value, end)
                while value > 0 {
                    bytes[at] = UInt8(ascii: "0") + UInt8(value % 10)
                    (value, at) = (value / 10, at - 1)
                }
            }
            put(time.year, at: 3)
            put(time.month, at: 6)
            put(time.day, at: 9)
            put(time.hour, at: 12)
            put(time.minute, at: 15)
            put(time.second, at: 18)
            (bytes[4], bytes[7], bytes[10]) = (UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: "T"))
            (bytes[13], bytes[16], bytes[19]) = (UInt8(ascii: ":"), UInt8(ascii: ":"), UInt8(ascii: "Z"))
            return String(decoding: bytes, as: UTF8.self)
        }
        func pad(_ value: Int, _ width: Int = 2) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(time.year, 4))-\(pad(time.month))-\(pad(time.day))T\(pad(time.hour)):\(pad(time.minute)):\(pad(time.second))Z"
    }

    private func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    public static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
}

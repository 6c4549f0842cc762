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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func put(_ value: Int, width: Int, then mark: UInt8?) {
            let start = bytes.count
            var value = value
            repeat {
                bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
                value /= 10
            } while value > 0
            while bytes.count - start < width { bytes.append(UInt8(ascii: "0")) }
            bytes[start...].reverse()
            if let mark { bytes.append(mark) }
        }
        // Years before year 0 (only absurd stored values) take a sign, as ISO 8601's expanded years do.
        if time.year < 0 { bytes.append(UInt8(ascii: "-")) }
        put(abs(time.year), width: 4, then: UInt8(ascii: "-"))
        put(time.month, width: 2, then: UInt8(ascii: "-"))
        put(time.day, width: 2, then: UInt8(ascii: "T"))
        put(time.hour, width: 2, then: UInt8(ascii: ":"))
        put(time.minute, width: 2, then: UInt8(ascii: ":"))
        put(time.second, width: 2, then: UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    public static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
}

import Foundation

/// One line of article JSON Lines (the format `caravan import jsonl` reads), parsed and checked.
public enum ArticleLine {
    /// Longest line we accept; longer ones are skipped before any parsing so memory stays bounded.
    public static let maximumBytes = 8 * 1024 * 1024

    /// Why a line was skipped, in words a person can act on.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public let field: String?
        public let reason: String
        public init(field: String? = nil, _ reason: String) {
            self.field = field
            self.reason = reason
        }
        public var description: String { field.map { "field \"\($0)\": \(reason)" } ?? reason }
    }

    /// Parses one line's bytes; `timeZone` places a date without a time or offset.
    public static func parse(_ bytes: some Collection<UInt8>, timeZone: TimeZone) throws(Problem) -> ArticleSubmission {
        guard bytes.count <= maximumBytes else {
            throw Problem("line is \(megabytes(bytes.count)), over the \(megabytes(maximumBytes)) limit")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Problem("line is not valid UTF-8 (first bad byte at column \(firstInvalidUTF8(bytes) + 1))")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [])
        } catch {
            throw Problem("not valid JSON (\(jsonReason(error)))")
        }
        guard let fields = object as? [String: Any] else {
            throw Problem("expected a JSON object, found \(kind(of: object))")
        }
        return try submission(from: fields, timeZone: timeZone)
    }

    static func submission(from fields: [String: Any], timeZone: TimeZone) throws(Problem) -> ArticleSubmission {
        let id: String
        switch fields["id"] {
        case let value as String: id = value
        case let value as NSNumber where !isBool(value): id = value.stringValue
        case nil, is NSNull: throw Problem(field: "id", "missing")
        case let other?: throw Problem(field: "id", "expected a string, found \(kind(of: other))")
        }
        guard !id.trimmingCharacters(in: .whitespaces).isEmpty else { throw Problem(field: "id", "is empty") }
        guard id.count <= 200 else { throw Problem(field: "id", "longer than 200 characters") }

        let title = try string(fields, "title") ?? ""
        let body = try string(fields, "body") ?? ""
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            && body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        {
            throw Problem(field: "title", "title and body are both missing or empty")
        }
        var published: Date?
        if let text = try string(fields, "published"), !text.isEmpty {
            guard let date = ISODate.parse(text, timeZone: timeZone) else {
                throw Problem(field: "published", "\"\(text.prefix(40))\" is not an ISO 8601 date or date-time")
            }
            published = date
        }
        var section = try string(fields, "section")
        if section == nil { section = try string(fields, "category") }
        var countries: [Country] = []
        for code in try strings(fields, "countries") {
            guard let country = Country(code: code) else {
                throw Problem(
                    field: "countries",
                    "unknown country code \"\(code.prefix(10))\" (known: \(Country.allCases.map(\.code).joined(separator: " ")))")
            }
            if !countries.contains(country) { countries.append(country) }
        }
        var language = Article.Language.en
        if let code = try string(fields, "language"), !code.isEmpty {
            guard let known = Article.Language(rawValue: code.lowercased()) else {
                throw Problem(field: "language", "\"\(code.prefix(10))\" is not one of en, ru")
            }
            language = known
        }
        var slug: String?
        if let asked = try string(fields, "slug"), !asked.isEmpty {
            slug = Slug.make(from: asked)
        }
        let tags = try strings(fields, "tags").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var image: String?
        if let id = try string(fields, "image")?.trimmingCharacters(in: .whitespaces), !id.isEmpty {
            guard id.count <= 64, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw Problem(field: "image", "\"\(id)\" is not a media library id (caravan media add prints one)")
            }
            image = id
        }
        return ArticleSubmission(
            id: Article.ID(id), title: title.trimmingCharacters(in: .whitespacesAndNewlines),
            standfirst: (try string(fields, "standfirst") ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            body: body, published: published,
            section: section.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 },
            countries: countries, tags: tags,
            author: try string(fields, "author").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 },
            language: language, slug: slug, image: image)
    }

    private static func string(_ fields: [String: Any], _ name: String) throws(Problem) -> String? {
        switch fields[name] {
        case nil, is NSNull: return nil
        case let value as String: return try withoutNUL(value, name)
        case let other?: throw Problem(field: name, "expected a string, found \(kind(of: other))")
        }
    }

    /// A NUL (`\u0000`) would end the text at that point in the C libraries that render and index it, so the line is
    /// refused rather than stored cut short.
    private static func withoutNUL(_ value: String, _ name: String) throws(Problem) -> String {
        guard let at = value.utf8.firstIndex(of: 0) else { return value }
        let column = value.utf8.distance(from: value.utf8.startIndex, to: at) + 1
        throw Problem(field: name, "contains a NUL character (\\u0000) at byte \(column)")
    }

    private static func strings(_ fields: [String: Any], _ name: String) throws(Problem) -> [String] {
        switch fields[name] {
        case nil, is NSNull: return []
        case let value as String: return [try withoutNUL(value, name)]
        case let values as [Any]:
            var result: [String] = []
            for (index, value) in values.enumerated() {
                guard let text = value as? String else {
                    throw Problem(field: name, "item \(index + 1) is \(kind(of: value)), expected a string")
                }
                result.append(try withoutNUL(text, name))
            }
            return result
        case let other?: throw Problem(field: name, "expected an array of strings, found \(kind(of: other))")
        }
    }

    private static func isBool(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c" || type(of: number) == type(of: NSNumber(value: true))
    }

    static func kind(of value: Any) -> String {
        switch value {
        case is String: "a string"
        case let number as NSNumber: isBool(number) ? "a boolean" : "a number"
        case is [Any]: "an array"
        case is [String: Any]: "an object"
        case is NSNull: "null"
        default: "an unexpected value"
        }
    }

    private static func jsonReason(_ error: any Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        return String(text.prefix(160))
    }

    private static func megabytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024)
        return "\(tenths / 10).\(tenths % 10) MB"
    }

    private static func firstInvalidUTF8(_ bytes: some Collection<UInt8>) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var consumed = 0
        // Walk scalar by scalar; the bytes consumed before the error give the column.
        while case .scalarValue(let scalar) = decoder.decode(&iterator) {
            consumed += UTF8.width(scalar)
        }
        return consumed
    }
}

/// ISO 8601 dates and date-times as news feeds write them.
public enum ISODate {
    /// "2025-02-08" (midnight in `timeZone`), "2025-02-08T09:00", "…T09:00:00", "…T09:00:00.5", with "Z" or "+05:00" or "+0500"; without an offset the time is in `timeZone`.
    public static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        let bytes = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var position = 0
        func number(_ width: Int) -> Int? {
            guard position + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[position..<position + width] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            position += width
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == character else { return false }
            position += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2) else {
            return nil
        }
        var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        var zone = timeZone
        if position < bytes.count {
            guard expect(84) || expect(116) || expect(32) else { return nil }  // T, t or a space
            guard let hour = number(2), expect(58), let minute = number(2) else { return nil }
            components.hour = hour
            components.minute = minute
            if expect(58) {
                guard let second = number(2) else { return nil }
                components.second = second
                if expect(46) || expect(44) {  // fractional seconds are dropped
                    while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 { position += 1 }
                }
            }
            if expect(90) || expect(122) {  // Z
                zone = TimeZone(secondsFromGMT: 0)!
            } else if position < bytes.count, bytes[position] == 43 || bytes[position] == 45 {
                let sign = bytes[position] == 45 ? -1 : 1
                position += 1
                guard let offsetHours = number(2) else { return nil }
                _ = expect(58)
                let offsetMinutes = number(2) ?? 0
                guard offsetHours <= 14, offsetMinutes < 60,
                    let offsetZone = TimeZone(secondsFromGMT: sign * (offsetHours * 3600 + offsetMinutes * 60))
                else { return nil }
                zone = offsetZone
            }
        }
        guard position == bytes.count else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(components.hour!),
            (0...59).contains(components.minute!), (0...60).contains(components.second!)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let date = calendar.date(from: components) else { return nil }
        // Reject dates the calendar silently rolled over (31 February → 3 March).
        let check = calendar.dateComponents([.year, .month, .day], from: date)
        guard check.year == year, check.month == month, check.day == day else { return nil }
        return date
    }
}

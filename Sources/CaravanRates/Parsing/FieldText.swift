import CaravanCore
import Foundation

/// Reads the figures and dates banks print, exactly and strictly.
enum FieldText {
    /// A decimal written with `.` or `,` as the separator ("87,4500", "12194.21"), optionally signed;
    /// with `allowExponent`, also CBR's "5,39256E-05". No grouping, no spaces inside, at most 38 significant digits.
    /// Built digit by digit into `Decimal`: never through a binary floating-point number.
    static func decimal(_ raw: String, allowExponent: Bool = false) -> Decimal? {
        var chars = Substring(raw.trimmingCharacters(in: .whitespacesAndNewlines))
        var negative = false
        if let sign = chars.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            chars = chars.dropFirst()
        }
        let integerPart = chars.prefix { $0.isASCII && $0.isNumber }
        chars = chars.dropFirst(integerPart.count)
        var fractionPart = Substring("")
        if let separator = chars.first, separator == "." || separator == "," {
            chars = chars.dropFirst()
            fractionPart = chars.prefix { $0.isASCII && $0.isNumber }
            chars = chars.dropFirst(fractionPart.count)
        }
        guard !integerPart.isEmpty || !fractionPart.isEmpty else { return nil }
        var exponent = -fractionPart.count
        if allowExponent, let e = chars.first, e == "e" || e == "E" {
            chars = chars.dropFirst()
            var exponentNegative = false
            if let sign = chars.first, sign == "-" || sign == "+" {
                exponentNegative = sign == "-"
                chars = chars.dropFirst()
            }
            let digits = chars.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 3, let value = Int(digits) else { return nil }
            chars = chars.dropFirst(digits.count)
            exponent += exponentNegative ? -value : value
        }
        guard chars.isEmpty else { return nil }

        // Significant digits only: leading zeros add nothing, trailing zeros move into the exponent.
        var digits = Array((integerPart + fractionPart).drop { $0 == "0" })
        while digits.last == "0" {
            digits.removeLast()
            exponent += 1
        }
        if digits.isEmpty { return Decimal.zero }
        guard digits.count <= 38, (-128...127).contains(exponent) else { return nil }
        var significand = Decimal.zero
        for digit in digits {
            significand = significand * 10 + Decimal(Int(digit.asciiValue! - UInt8(ascii: "0")))
        }
        return Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: significand)
    }

    /// A nominal ("1", "100", "10000"): a positive decimal, usually an integer.
    static func positiveDecimal(_ raw: String, allowExponent: Bool = false) -> Decimal? {
        guard let value = decimal(raw, allowExponent: allowExponent), value > 0 else { return nil }
        return value
    }

    /// `DD.MM.YYYY`, the date format of NBK, NBKR, CBU, CBT (since 2024) and CBR.
    static func dayDMY(_ raw: String) -> Day? {
        let parts = raw.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 2, parts[1].count == 2, parts[2].count == 4,
              let d = number(parts[0]), let m = number(parts[1]), let y = number(parts[2]) else { return nil }
        return Day(year: y, month: m, day: d)
    }

    /// `DD.MM.YY` (the old NBK RSS `pubDate`); two-digit years are taken as 20YY.
    static func dayDMYShort(_ raw: String) -> Day? {
        let parts = raw.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 2, parts[1].count == 2, parts[2].count == 2,
              let d = number(parts[0]), let m = number(parts[1]), let y = number(parts[2]) else { return nil }
        return Day(year: 2000 + y, month: m, day: d)
    }

    /// `YYYY-MM-DD` (NBT, and CBT before 2024).
    static func dayISO(_ raw: String) -> Day? {
        Day(iso: raw.trimmingCharacters(in: .whitespaces))
    }

    private static func number(_ text: Substring) -> Int? {
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }
}

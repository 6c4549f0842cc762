import Foundation

/// Rounding and plain-text printing of `Decimal`, so that no figure ever passes through `Double`.
public enum DecimalRounding {
    /// Rounds to `places` digits after the point, ties away from zero; a result of zero is never negative.
    public static func round(_ value: Decimal, places: Int) -> Decimal {
        guard value.isFinite else { return value }
        var input = value
        var output = Decimal()
        NSDecimalRound(&output, &input, places, .plain)
        return output.isZero ? Decimal.zero : output
    }

    /// Rounds to `digits` significant digits, ties away from zero (0.0114351057… → 0.011435 for 5).
    public static func round(_ value: Decimal, significantDigits digits: Int) -> Decimal {
        precondition(digits > 0, "significantDigits must be positive")
        guard value.isFinite, !value.isZero else { return value.isZero ? Decimal.zero : value }
        return round(value, places: digits - 1 - leadingPower(of: value))
    }

    /// The power of ten of the first significant digit: 2 for 475.09, -5 for 0.0000781.
    public static func leadingPower(of value: Decimal) -> Int {
        precondition(value.isFinite && !value.isZero, "leadingPower needs a finite non-zero value")
        let mantissa = value.magnitude.significand
        return mantissaDigitCount(mantissa) - 1 + Int(value.exponent)
    }

    /// Prints `value` in positional notation with exactly `fractionDigits` digits after the point.
    /// The value is rounded first (ties away from zero); there is no exponent and no grouping.
    public static func plainText(_ value: Decimal, fractionDigits: Int) -> String {
        let places = max(0, fractionDigits)
        let rounded = round(value, places: places)
        var text = rounded.description
        guard places > 0 else { return text }
        if let dot = text.firstIndex(of: ".") {
            let present = text.distance(from: text.index(after: dot), to: text.endIndex)
            text += String(repeating: "0", count: max(0, places - present))
        } else {
            text += "." + String(repeating: "0", count: places)
        }
        return text
    }

    /// Prints `value` rounded to `digits` significant digits, keeping trailing zeros (0.00007810 for 4).
    public static func plainText(_ value: Decimal, significantDigits digits: Int) -> String {
        guard value.isFinite, !value.isZero else {
            return plainText(Decimal.zero, fractionDigits: max(0, digits - 1))
        }
        let rounded = round(value, significantDigits: digits)
        // Rounding can carry into a new leading digit (0.099996 → 0.1000), so measure after rounding.
        let places = max(0, digits - 1 - leadingPower(of: rounded))
        return plainText(rounded, fractionDigits: places)
    }

    private static func mantissaDigitCount(_ integer: Decimal) -> Int {
        integer.description.filter(\.isNumber).count
    }
}

import Foundation

/// How rates and changes are printed on pages, in the CLI and in the JSON API.
public enum RateFormat {
    /// U+2212, the typographic minus used for negative changes.
    public static let minusSign = "\u{2212}"

    /// A daily change with two decimals and a sign: `+0.12 %`, `−0.03 %`, and `0.00 %` for anything that rounds to zero.
    public static func change(_ percent: Decimal) -> String {
        let rounded = DecimalRounding.round(percent, places: 2)
        if rounded.isZero { return "0.00 %" }
        let digits = DecimalRounding.plainText(rounded.magnitude, fractionDigits: 2)
        return (rounded < 0 ? minusSign : "+") + digits + " %"
    }

    /// A change in the JSON API: a number rounded to `places` (default 4: -0.7686), never a negative zero.
    public static func jsonChange(_ percent: Decimal, places: Int = 4) -> Decimal {
        DecimalRounding.round(percent, places: places)
    }

    /// `perUSD` as a figure: at least two decimals and at least four significant digits (87.45, 9.345, 3.50, 12149.84).
    public static func perUSDNumber(_ value: Decimal) -> String {
        guard value.isFinite, !value.isZero else { return DecimalRounding.plainText(value, fractionDigits: 2) }
        let forFourDigits = 3 - DecimalRounding.leadingPower(of: value)
        var text = DecimalRounding.plainText(value, fractionDigits: max(2, forFourDigits))
        // Zeros beyond the second decimal add no information (3.5000 → 3.50).
        if let dot = text.firstIndex(of: ".") {
            let minimumEnd = text.index(dot, offsetBy: 3)
            while text.endIndex > minimumEnd, text.last == "0" { text.removeLast() }
        }
        return text
    }

    /// The "per dollar" direction: `1 USD = 87.45 KGS`.
    public static func perUSD(_ rate: Rate) -> String {
        "1 USD = " + perUSDNumber(rate.perUSD) + " " + rate.currency.code
    }

    /// The ticker's `KGS/USD` direction, dollars for one unit, with four significant digits (0.01144, 0.00008203).
    public static func usdPerUnit(_ rate: Rate, significantDigits: Int = 4) -> String {
        inverse(of: rate.perUSD, significantDigits: significantDigits)
    }

    /// `1 / perUSD` with at least `significantDigits` significant digits, in positional notation.
    public static func inverse(of perUSD: Decimal, significantDigits: Int = 4) -> String {
        usdPerUnitNumber(Decimal(1) / perUSD, significantDigits: significantDigits)
    }

    /// A dollars-per-unit figure with `significantDigits` significant digits: 0.0000781 → `0.00007810`, never `0.00008`.
    public static func usdPerUnitNumber(_ value: Decimal, significantDigits: Int = 4) -> String {
        DecimalRounding.plainText(value, significantDigits: significantDigits)
    }

    /// The ticker label of a currency against the dollar: `KGS/USD`.
    public static func pairLabel(_ currency: Currency) -> String { currency.code + "/USD" }

    /// `usd_per_unit` for the JSON API: the inverse rounded to `significantDigits` (default 6; 87.45 → 0.0114351).
    public static func jsonUSDPerUnit(_ rate: Rate, significantDigits: Int = 6) -> Decimal {
        rate.usdPerUnit(significantDigits: significantDigits)
    }

    /// `per_usd` for the JSON API: a bank's own figure exactly as published, a cross rounded to `significantDigits`.
    public static func jsonPerUSD(_ rate: Rate, significantDigits: Int = 6) -> Decimal {
        rate.isCross ? DecimalRounding.round(rate.perUSD, significantDigits: significantDigits) : rate.perUSD
    }
}

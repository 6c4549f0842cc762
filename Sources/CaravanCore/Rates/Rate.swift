import Foundation

/// A rate normalised to units of `currency` for one US dollar, as one bank published it for one day.
public struct Rate: Hashable, Codable, Sendable {
    public let currency: Currency
    /// Units of `currency` for ONE US dollar (KGS 87.45), exact as published or as divided.
    public let perUSD: Decimal
    /// The day the rate is in force, taken from the payload, never from the clock.
    public let effectiveDate: Day
    /// The bank whose payload the figure comes from.
    public let source: RateSource
    /// For a cross rate, the bank's home currency through which it was computed (RUB for CBR); nil for a bank's own rate.
    public let crossVia: Currency?

    public init(currency: Currency, perUSD: Decimal, effectiveDate: Day, source: RateSource, crossVia: Currency? = nil) {
        self.currency = currency
        self.perUSD = perUSD
        self.effectiveDate = effectiveDate
        self.source = source
        self.crossVia = crossVia
    }

    /// True when the figure was derived from another bank's quotes rather than set by this currency's bank.
    public var isCross: Bool { crossVia != nil }

    /// True when `source` is the currency's own bank and the figure is its own quote of the dollar.
    public var isAuthoritative: Bool { !isCross && currency.authoritativeSource == source }

    /// US dollars for one unit of `currency` (the ticker's KGS/USD), at full `Decimal` precision.
    public var usdPerUnit: Decimal { Decimal(1) / perUSD }

    /// `usdPerUnit` rounded to significant digits, as the JSON API prints it (87.45 → 0.0114351 for 6).
    public func usdPerUnit(significantDigits: Int) -> Decimal {
        DecimalRounding.round(usdPerUnit, significantDigits: significantDigits)
    }

    /// A valid rate is finite and positive; parsers never produce anything else.
    public var isValid: Bool { perUSD.isFinite && perUSD > 0 }
}

extension Rate: CustomStringConvertible {
    public var description: String {
        let via = crossVia.map { " cross via \($0)" } ?? ""
        return "\(currency) \(perUSD) per USD on \(effectiveDate) from \(source)\(via)"
    }
}

import CaravanCore
import Foundation

func rateDay(_ iso: String) -> Day { Day(iso: iso)! }

/// A decimal literal read from text, as the parsers do (never through Double).
func exact(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))! }

func usdRate(_ currency: Currency, _ perUSD: String, _ date: String, _ source: RateSource, via: Currency? = nil) -> Rate {
    Rate(currency: currency, perUSD: exact(perUSD), effectiveDate: rateDay(date), source: source, crossVia: via)
}

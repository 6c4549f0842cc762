import CaravanCore
import Foundation

/// One foreign currency as a bank quoted it: `value` units of the bank's home currency for `nominal` units.
public struct BankQuote: Hashable, Sendable {
    public let currency: Currency
    /// The number of units the value is for (UZS 100 at NBK, 10000 at CBR; 1 for most).
    public let nominal: Decimal
    /// Home-currency units for `nominal` units of `currency`, exactly as printed.
    public let value: Decimal
    /// Home-currency units for ONE unit: `value / nominal`.
    public let unitValue: Decimal
    /// CBR's `VunitRate`, the bank's own per-unit figure, kept to cross-check `unitValue`.
    public let publishedUnitValue: Decimal?
    /// CBT's `rate_usd`: units of `currency` per dollar for most currencies, but dollars per unit for EUR, GBP, AUD, XDR.
    public let publishedPerUSD: Decimal?

    public init(currency: Currency, nominal: Decimal, value: Decimal,
                publishedUnitValue: Decimal? = nil, publishedPerUSD: Decimal? = nil) {
        self.currency = currency
        self.nominal = nominal
        self.value = value
        self.unitValue = value / nominal
        self.publishedUnitValue = publishedUnitValue
        self.publishedPerUSD = publishedPerUSD
    }
}

/// Which of a bank's files a publication was read from.
public enum RatePayloadFormat: String, Hashable, Sendable, CaseIterable {
    /// NBK `rss/get_rates.cfm?fdate=DD.MM.YYYY`: `<rates>` with one `<date>`.
    case nbkGetRates = "nbk-get-rates"
    /// NBK `rss/rates_all.xml`: `<rss><channel>` with a `<pubDate>` per item.
    case nbkRSS = "nbk-rss"
    /// NBKR `XML/daily.xml` (USD, EUR, CNY, KZT, RUB).
    case nbkrDaily = "nbkr-daily"
    /// NBKR `XML/weekly.xml` (the others, including TJS, UZS, TMT; no USD).
    case nbkrWeekly = "nbkr-weekly"
    /// NBT `kurs/export_xml.php?date=YYYY-MM-DD&export=xmlout`.
    case nbtDaily = "nbt-daily"
    /// CBU `arkhiv-kursov-valyut/json/…`.
    case cbuJSON = "cbu-json"
    /// CBT `kurs/YYYY/DDMMYYYY.xml`.
    case cbtDaily = "cbt-daily"
    /// CBR `scripts/XML_daily.asp`.
    case cbrDaily = "cbr-daily"
    /// CBR `scripts/XML_dynamic.asp`: one currency over a date range, one publication per date.
    case cbrDynamic = "cbr-dynamic"
}

/// An item of the payload that was left out, and why (a discontinued currency, an unreadable figure).
public struct IgnoredPayloadItem: Hashable, Sendable, CustomStringConvertible {
    public let item: String
    public let reason: String

    public init(item: String, reason: String) {
        self.item = item
        self.reason = reason
    }

    public var description: String { "\(item): \(reason)" }
}

/// How a publication's own date compares with the date that was asked for.
public enum PublicationDateCheck: Hashable, Sendable {
    case matches
    /// The payload is for an earlier day (a holiday, or CBR's "last rate on or before").
    case earlier(Day)
    /// The payload is for a later day (NBT and CBU answer a future or out-of-range date with today's rates).
    case later(Day)
}

/// Everything one bank published for one effective date, as read from one payload.
public struct BankPublication: Hashable, Sendable {
    public let source: RateSource
    public let format: RatePayloadFormat
    /// The day the rates are in force, from the payload itself.
    public let effectiveDate: Day
    /// Every readable quote, in payload order; values are in `source.homeCurrency`.
    public let quotes: [BankQuote]
    /// NBKR weekly's `ValidFor` (7); nil for daily files.
    public let validForDays: Int?
    /// Items left out, with the reason, for logs and for the CLI's report.
    public let ignored: [IgnoredPayloadItem]

    public init(source: RateSource, format: RatePayloadFormat, effectiveDate: Day, quotes: [BankQuote],
                validForDays: Int? = nil, ignored: [IgnoredPayloadItem] = []) {
        self.source = source
        self.format = format
        self.effectiveDate = effectiveDate
        self.quotes = quotes
        self.validForDays = validForDays
        self.ignored = ignored
    }

    /// The currency every value is expressed in (KZT for NBK).
    public var homeCurrency: Currency { source.homeCurrency }

    public func quote(for currency: Currency) -> BankQuote? { quotes.first { $0.currency == currency } }

    /// Compares the payload's own date with the date that was requested.
    public func checkDate(requested: Day) -> PublicationDateCheck {
        if effectiveDate == requested { return .matches }
        return effectiveDate < requested ? .earlier(effectiveDate) : .later(effectiveDate)
    }

    /// Throws `dateMismatch` unless the payload is for `requested` (or, with `allowEarlier`, for a day before it,
    /// as CBR answers with the last rate in force and NBK has nothing for weekends).
    public func requireDate(_ requested: Day, allowEarlier: Bool = false) throws(RatePayloadError) {
        switch checkDate(requested: requested) {
        case .matches: return
        case .earlier where allowEarlier: return
        case .earlier, .later:
            throw RatePayloadError(.dateMismatch(requested: requested, effective: effectiveDate), source: source)
        }
    }

    /// Joins publications of the same source, format and date (CBR XML_dynamic files, one per currency) into one each,
    /// sorted by date; the first quote of a currency wins.
    public static func merged(_ publications: [BankPublication]) -> [BankPublication] {
        var order: [String] = []
        var byKey: [String: BankPublication] = [:]
        for publication in publications {
            let key = "\(publication.source.rawValue) \(publication.format.rawValue) \(publication.effectiveDate.iso)"
            guard let existing = byKey[key] else {
                order.append(key)
                byKey[key] = publication
                continue
            }
            let known = Set(existing.quotes.map(\.currency))
            byKey[key] = BankPublication(
                source: existing.source, format: existing.format, effectiveDate: existing.effectiveDate,
                quotes: existing.quotes + publication.quotes.filter { !known.contains($0.currency) },
                validForDays: existing.validForDays ?? publication.validForDays,
                ignored: existing.ignored + publication.ignored)
        }
        return order.compactMap { byKey[$0] }.sorted { $0.effectiveDate < $1.effectiveDate }
    }
}

import CaravanCore
import Foundation

/// National Bank of the Kyrgyz Republic: KGS per `Nominal` units, comma decimals, `Date` is the effective date.
enum NBKRPayload {
    static func parse(_ root: PayloadElement) throws(RatePayloadError) -> BankPublication {
        guard root.name == "CurrencyRates" else {
            throw RatePayloadParser.wrongRoot(root, expected: "<CurrencyRates>", source: .nbkr)
        }
        guard let dateText = root.attribute("Date") else {
            throw RatePayloadError(.missingField("attribute Date of <CurrencyRates>"), source: .nbkr, line: root.line)
        }
        guard let day = FieldText.dayDMY(dateText) else {
            throw RatePayloadError(.invalidDate(field: "attribute Date", text: dateText), source: .nbkr, line: root.line)
        }
        let currencies = root.children(named: "Currency")
        let validFor = currencies.lazy.compactMap { $0.text(of: "ValidFor").flatMap { Int($0) } }.first
        let weekly = (root.attribute("Name")?.lowercased().contains("weekly") ?? false) || validFor != nil
        var collector = QuoteCollector(source: .nbkr)
        for (index, currency) in currencies.enumerated() {
            try collector.add(
                code: currency.attribute("ISOCode"), item: "Currency \(index + 1)", line: currency.line,
                nominal: .init(text: currency.text(of: "Nominal"), name: "<Nominal>"),
                value: .init(text: currency.text(of: "Value"), name: "<Value>"))
        }
        return BankPublication(source: .nbkr, format: weekly ? .nbkrWeekly : .nbkrDaily, effectiveDate: day,
                               quotes: collector.quotes, validForDays: weekly ? (validFor ?? 7) : nil,
                               ignored: collector.ignored)
    }
}

import CaravanCore
import Foundation

/// Central Bank of Turkmenistan: TMT per `multiplier` units (`rate_tmt`); `<date>` is DD.MM.YYYY since 2024, YYYY-MM-DD before.
enum CBTPayload {
    static func parse(_ root: PayloadElement) throws(RatePayloadError) -> BankPublication {
        guard root.name == "cbt_currency_rate" else {
            throw RatePayloadParser.wrongRoot(root, expected: "<cbt_currency_rate>", source: .cbt)
        }
        guard let dateElement = root.child(named: "date"), let dateText = root.text(of: "date") else {
            throw RatePayloadError(.missingField("<date>"), source: .cbt, line: root.line)
        }
        guard let day = FieldText.dayDMY(dateText) ?? FieldText.dayISO(dateText) else {
            throw RatePayloadError(.invalidDate(field: "<date>", text: dateText), source: .cbt, line: dateElement.line)
        }
        var collector = QuoteCollector(source: .cbt)
        for (index, rate) in root.children(named: "rate").enumerated() {
            try collector.add(
                code: rate.attribute("code"), item: "rate \(index + 1)", line: rate.line,
                nominal: .init(text: rate.text(of: "multiplier"), name: "<multiplier>"),
                value: .init(text: rate.text(of: "rate_tmt"), name: "<rate_tmt>"),
                publishedPerUSD: rate.text(of: "rate_usd").flatMap { FieldText.positiveDecimal($0) })
        }
        return BankPublication(source: .cbt, format: .cbtDaily, effectiveDate: day,
                               quotes: collector.quotes, ignored: collector.ignored)
    }
}

import CaravanCore
import Foundation

/// National Bank of Tajikistan: TJS per `Nominal` units, `ValCurs Date` in ISO form. `Valute ID` is unreliable, so `CharCode` is used.
enum NBTPayload {
    static func parse(_ root: PayloadElement) throws(RatePayloadError) -> BankPublication {
        guard root.name == "ValCurs" else {
            throw RatePayloadParser.wrongRoot(root, expected: "<ValCurs>", source: .nbt)
        }
        guard let dateText = root.attribute("Date") else {
            throw RatePayloadError(.missingField("attribute Date of <ValCurs>"), source: .nbt, line: root.line)
        }
        guard let day = FieldText.dayISO(dateText) else {
            // CBR's feed has the same root but DD.MM.YYYY dates and comma decimals.
            if FieldText.dayDMY(dateText) != nil {
                throw RatePayloadError(.anotherSourcesPayload(likely: .cbr, evidence: "ValCurs Date=\"\(dateText)\""),
                                       source: .nbt, line: root.line)
            }
            throw RatePayloadError(.invalidDate(field: "attribute Date", text: dateText), source: .nbt, line: root.line)
        }
        var collector = QuoteCollector(source: .nbt)
        for (index, valute) in root.children(named: "Valute").enumerated() {
            try collector.add(
                code: valute.text(of: "CharCode"), item: "Valute \(index + 1)", line: valute.line,
                nominal: .init(text: valute.text(of: "Nominal"), name: "<Nominal>"),
                value: .init(text: valute.text(of: "Value"), name: "<Value>"))
        }
        return BankPublication(source: .nbt, format: .nbtDaily, effectiveDate: day,
                               quotes: collector.quotes, ignored: collector.ignored)
    }
}

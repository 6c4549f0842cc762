import CaravanCore
import Foundation

/// Central Bank of Russia: RUB per `Nominal` units, comma decimals. `XML_daily` has `<Valute>`s for one date;
/// `XML_dynamic` has `<Record Date=…>`s of one currency, named only by CBR's internal id.
enum CBRPayload {
    static func parse(_ root: PayloadElement) throws(RatePayloadError) -> [BankPublication] {
        guard root.name == "ValCurs" else {
            throw RatePayloadParser.wrongRoot(root, expected: "<ValCurs>", source: .cbr)
        }
        if root.attributes["DateRange1"] != nil || !root.children(named: "Record").isEmpty {
            return try parseDynamic(root)
        }
        return [try parseDaily(root)]
    }

    private static func parseDaily(_ root: PayloadElement) throws(RatePayloadError) -> BankPublication {
        guard let dateText = root.attribute("Date") else {
            throw RatePayloadError(.missingField("attribute Date of <ValCurs>"), source: .cbr, line: root.line)
        }
        guard let day = FieldText.dayDMY(dateText) else {
            // NBT's feed has the same root but ISO dates.
            if FieldText.dayISO(dateText) != nil {
                throw RatePayloadError(.anotherSourcesPayload(likely: .nbt, evidence: "ValCurs Date=\"\(dateText)\""),
                                       source: .cbr, line: root.line)
            }
            throw RatePayloadError(.invalidDate(field: "attribute Date", text: dateText), source: .cbr, line: root.line)
        }
        var collector = QuoteCollector(source: .cbr)
        for (index, valute) in root.children(named: "Valute").enumerated() {
            try collector.add(
                code: valute.text(of: "CharCode"), item: "Valute \(index + 1)", line: valute.line,
                nominal: .init(text: valute.text(of: "Nominal"), name: "<Nominal>"),
                value: .init(text: valute.text(of: "Value"), name: "<Value>"),
                publishedUnitValue: unitRate(of: valute))
        }
        return BankPublication(source: .cbr, format: .cbrDaily, effectiveDate: day,
                               quotes: collector.quotes, ignored: collector.ignored)
    }

    private static func parseDynamic(_ root: PayloadElement) throws(RatePayloadError) -> [BankPublication] {
        guard let id = root.attribute("ID") else {
            throw RatePayloadError(.missingField("attribute ID of <ValCurs>"), source: .cbr, line: root.line)
        }
        guard let code = currencyCodes[id] else {
            throw RatePayloadError(.unknownCurrencyID(id), source: .cbr, line: root.line)
        }
        var publications: [BankPublication] = []
        for (index, record) in root.children(named: "Record").enumerated() {
            let item = "Record \(index + 1)"
            guard let dateText = record.attribute("Date") else {
                throw RatePayloadError(.missingField("attribute Date"), source: .cbr, item: item, line: record.line)
            }
            guard let day = FieldText.dayDMY(dateText) else {
                throw RatePayloadError(.invalidDate(field: "attribute Date", text: dateText), source: .cbr, item: item,
                                       line: record.line)
            }
            var collector = QuoteCollector(source: .cbr)
            try collector.add(
                code: code, item: item, line: record.line,
                nominal: .init(text: record.text(of: "Nominal"), name: "<Nominal>"),
                value: .init(text: record.text(of: "Value"), name: "<Value>"),
                publishedUnitValue: unitRate(of: record))
            publications.append(BankPublication(source: .cbr, format: .cbrDynamic, effectiveDate: day,
                                                quotes: collector.quotes, ignored: collector.ignored))
        }
        return BankPublication.merged(publications)
    }

    /// `VunitRate`, which CBR prints in exponent form for tiny figures (IRR: "5,39256E-05").
    private static func unitRate(of element: PayloadElement) -> Decimal? {
        element.text(of: "VunitRate").flatMap { FieldText.positiveDecimal($0, allowExponent: true) }
    }

    /// CBR's internal currency ids (`VAL_NM_RQ`), as listed in XML_daily of 2023 and 2026.
    static let currencyCodes: [String: String] = [
        "R01010": "AUD", "R01020A": "AZN", "R01030": "DZD", "R01035": "GBP", "R01060": "AMD", "R01080": "BHD",
        "R01090B": "BYN", "R01100": "BGN", "R01105": "BOB", "R01115": "BRL", "R01135": "HUF", "R01150": "VND",
        "R01200": "HKD", "R01210": "GEL", "R01215": "DKK", "R01230": "AED", "R01235": "USD", "R01239": "EUR",
        "R01240": "EGP", "R01270": "INR", "R01280": "IDR", "R01300": "IRR", "R01335": "KZT", "R01350": "CAD",
        "R01355": "QAR", "R01370": "KGS", "R01375": "CNY", "R01395": "CUP", "R01500": "MDL", "R01503": "MNT",
        "R01520": "NGN", "R01530": "NZD", "R01535": "NOK", "R01540": "OMR", "R01565": "PLN", "R01580": "SAR",
        "R01585F": "RON", "R01589": "XDR", "R01625": "SGD", "R01670": "TJS", "R01675": "THB", "R01685": "BDT",
        "R01700J": "TRY", "R01710A": "TMT", "R01717": "UZS", "R01720": "UAH", "R01760": "CZK", "R01770": "SEK",
        "R01775": "CHF", "R01800": "ETB", "R01805F": "RSD", "R01810": "ZAR", "R01815": "KRW", "R01820": "JPY",
        "R02005": "MMK",
    ]
}

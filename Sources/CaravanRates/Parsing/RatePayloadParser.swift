import CaravanCore
import Foundation

/// The one entry point from bytes to publications, for the fetcher and for `caravan rates import --source SRC FILE`.
public enum RatePayloadParser {
    /// Parses a payload holding one publication (every feed but CBR XML_dynamic, which holds a history).
    /// Throws `RatePayloadError` with a message naming what is wrong and where; never traps on bad input.
    public static func parse(_ data: Data, source: RateSource) throws(RatePayloadError) -> BankPublication {
        let publications = try parsePublications(data, source: source)
        guard let first = publications.first, let last = publications.last else {
            throw RatePayloadError(.noQuotes, source: source)
        }
        guard publications.count == 1 else {
            throw RatePayloadError(
                .severalDates(first: first.effectiveDate, last: last.effectiveDate, count: publications.count), source: source)
        }
        return first
    }

    /// Parses any payload of `source` into its publications, oldest first: one for a daily file, one per date for
    /// a CBR XML_dynamic history. This is what an importer should call.
    public static func parsePublications(_ data: Data, source: RateSource) throws(RatePayloadError) -> [BankPublication] {
        let publications: [BankPublication]
        switch source {
        case .cbu:
            if PayloadDecoding.startsWithMarkup(data) {
                // CBU answers JSON, so markup is an error page or another bank's XML: say which.
                throw wrongRoot(try xmlRoot(data, source), expected: "a JSON array", source: source)
            }
            publications = [try CBUPayload.parse(PayloadDecoding.jsonText(data, source: source))]
        case .nbk: publications = [try NBKPayload.parse(xmlRoot(data, source))]
        case .nbkr: publications = [try NBKRPayload.parse(xmlRoot(data, source))]
        case .nbt: publications = [try NBTPayload.parse(xmlRoot(data, source))]
        case .cbt: publications = [try CBTPayload.parse(xmlRoot(data, source))]
        case .cbr: publications = try CBRPayload.parse(xmlRoot(data, source))
        }
        if publications.allSatisfy({ $0.quotes.isEmpty }) {
            throw RatePayloadError(.noQuotes, source: source)
        }
        return publications
    }

    /// The root element of an XML payload, after decoding; an HTML page is refused here.
    private static func xmlRoot(_ data: Data, _ source: RateSource) throws(RatePayloadError) -> PayloadElement {
        let text = try PayloadDecoding.xmlText(data, source: source)
        let root = try PayloadElement.parse(text, source: source)
        if root.name.lowercased() == "html" {
            throw RatePayloadError(.htmlPage(title: PayloadDecoding.htmlTitle(in: text)), source: source)
        }
        return root
    }

    /// The error for a root element that is not `expected`: names the other bank when the payload is recognisably theirs.
    static func wrongRoot(_ root: PayloadElement, expected: String, source: RateSource) -> RatePayloadError {
        if let likely = likelySource(of: root), likely != source {
            return RatePayloadError(.anotherSourcesPayload(likely: likely, evidence: "root element <\(root.name)>"),
                                    source: source, line: root.line)
        }
        return RatePayloadError(.unexpectedRoot(found: root.name, expected: expected), source: source, line: root.line)
    }

    /// The bank whose feed has this root; `ValCurs` is CBR's or NBT's, told apart by the date format.
    private static func likelySource(of root: PayloadElement) -> RateSource? {
        switch root.name {
        case "rates", "rss":
            let link = root.text(of: "link") ?? root.child(named: "channel")?.text(of: "link") ?? ""
            return link.contains("nationalbank.kz") ? .nbk : nil
        case "CurrencyRates": return .nbkr
        case "cbt_currency_rate": return .cbt
        case "ValCurs": return root.attribute("Date").flatMap(FieldText.dayISO) != nil ? .nbt : .cbr
        default: return nil
        }
    }
}

/// Gathers a payload's quotes: an unreadable dollar is fatal, any other unreadable currency is skipped and recorded.
struct QuoteCollector {
    let source: RateSource
    private(set) var quotes: [BankQuote] = []
    private(set) var ignored: [IgnoredPayloadItem] = []

    init(source: RateSource) { self.source = source }

    /// A field's raw text and the name to print for it (`<Value>`, `"Rate"`).
    struct Field {
        let text: String?
        let name: String
    }

    mutating func add(code rawCode: String?, item: String, line: Int?, nominal: Field, value: Field,
                      publishedUnitValue: Decimal? = nil, publishedPerUSD: Decimal? = nil) throws(RatePayloadError) {
        guard let rawCode, let currency = Currency(code: rawCode) else {
            ignored.append(IgnoredPayloadItem(item: item, reason: "no three-letter currency code (\"\(rawCode ?? "")\")"))
            return
        }
        let label = "currency \(currency.code)"
        do throws(RatePayloadError) {
            let nominalValue = try number(nominal, item: label, line: line)
            let amount = try number(value, item: label, line: line)
            if quotes.contains(where: { $0.currency == currency }) {
                ignored.append(IgnoredPayloadItem(item: label, reason: "appears more than once; the first is kept"))
                return
            }
            quotes.append(BankQuote(currency: currency, nominal: nominalValue, value: amount,
                                publishedUnitValue: publishedUnitValue, publishedPerUSD: publishedPerUSD))
        } catch {
            // Without the dollar the payload is useless for the ticker, so that one must not pass quietly.
            if currency == .usd { throw error }
            ignored.append(IgnoredPayloadItem(item: label, reason: error.description))
        }
    }

    private func number(_ field: Field, item: String, line: Int?) throws(RatePayloadError) -> Decimal {
        guard let text = field.text else {
            throw RatePayloadError(.missingField(field.name), source: source, item: item, line: line)
        }
        guard let value = FieldText.positiveDecimal(text) else {
            throw RatePayloadError(.invalidNumber(field: field.name, text: text), source: source, item: item, line: line)
        }
        return value
    }
}

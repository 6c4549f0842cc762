import CaravanCore
import Foundation

/// National Bank of Kazakhstan: KZT per `quant` units. `get_rates.cfm` has one `<date>`; the RSS form a `<pubDate>` per item.
enum NBKPayload {
    static func parse(_ root: PayloadElement) throws(RatePayloadError) -> BankPublication {
        switch root.name {
        case "rates": return try parseGetRates(root)
        case "rss": return try parseRSS(root)
        default: throw RatePayloadParser.wrongRoot(root, expected: "<rates> or <rss>", source: .nbk)
        }
    }

    private static func parseGetRates(_ root: PayloadElement) throws(RatePayloadError) -> BankPublication {
        guard let dateElement = root.child(named: "date"), let dateText = root.text(of: "date") else {
            throw RatePayloadError(.missingField("<date>"), source: .nbk, line: root.line)
        }
        guard let day = FieldText.dayDMY(dateText) else {
            throw RatePayloadError(.invalidDate(field: "<date>", text: dateText), source: .nbk, line: dateElement.line)
        }
        var collector = QuoteCollector(source: .nbk)
        // Only <item> children: the channel's own <title> and <description> are not rates.
        for (index, item) in root.children(named: "item").enumerated() {
            try add(item, index: index, to: &collector)
        }
        return BankPublication(source: .nbk, format: .nbkGetRates, effectiveDate: day,
                               quotes: collector.quotes, ignored: collector.ignored)
    }

    private static func parseRSS(_ root: PayloadElement) throws(RatePayloadError) -> BankPublication {
        guard let channel = root.child(named: "channel") else {
            throw RatePayloadError(.missingField("<channel>"), source: .nbk, line: root.line)
        }
        let items = channel.children(named: "item")
        var dated: [(item: PayloadElement, day: Day?)] = []
        for item in items {
            let text = item.text(of: "pubDate")
            dated.append((item, text.flatMap { FieldText.dayDMYShort($0) ?? FieldText.dayDMY($0) }))
        }
        // Discontinued currencies linger with their last pubDate (LVL 31.12.13): the feed's date is the newest one.
        guard let day = dated.compactMap(\.day).max() else {
            let first = items.first
            if let text = first?.text(of: "pubDate") {
                throw RatePayloadError(.invalidDate(field: "<pubDate>", text: text), source: .nbk, line: first?.line)
            }
            throw RatePayloadError(.missingField("<pubDate>"), source: .nbk, line: channel.line)
        }
        var collector = QuoteCollector(source: .nbk)
        var stale: [IgnoredPayloadItem] = []
        for (index, entry) in dated.enumerated() {
            guard entry.day == day else {
                let code = entry.item.text(of: "title") ?? "item \(index + 1)"
                let when = entry.day?.iso ?? "an unreadable date"
                stale.append(IgnoredPayloadItem(item: "currency \(code)", reason: "dated \(when), not the feed's \(day.iso)"))
                continue
            }
            try add(entry.item, index: index, to: &collector)
        }
        return BankPublication(source: .nbk, format: .nbkRSS, effectiveDate: day,
                               quotes: collector.quotes, ignored: stale + collector.ignored)
    }

    private static func add(_ item: PayloadElement, index: Int, to collector: inout QuoteCollector) throws(RatePayloadError) {
        try collector.add(
            code: item.text(of: "title"), item: "item \(index + 1)", line: item.line,
            nominal: .init(text: item.text(of: "quant"), name: "<quant>"),
            value: .init(text: item.text(of: "description"), name: "<description>"))
    }
}

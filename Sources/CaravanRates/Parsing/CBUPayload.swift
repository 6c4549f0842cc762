import CaravanCore
import Foundation

/// Central Bank of Uzbekistan: a JSON array whose every figure is a string; `Rate` is UZS per `Nominal` units.
enum CBUPayload {
    static func parse(_ text: String) throws(RatePayloadError) -> BankPublication {
        let items: [Item]
        do {
            items = try JSONDecoder().decode([Item].self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw RatePayloadError(.notJSON(detail: describe(error, bytes: text.utf8.count)), source: .cbu)
        } catch {
            throw RatePayloadError(.notJSON(detail: String(describing: error)), source: .cbu)
        }
        guard !items.isEmpty else { throw RatePayloadError(.noQuotes, source: .cbu) }

        // Every object carries its own Date; the publication's date is the dollar's, else the newest seen.
        let dollar = items.first { $0.ccy.value?.uppercased() == "USD" }
        let day: Day
        if let dollar {
            guard let text = dollar.date.value else {
                throw RatePayloadError(.missingField("\"Date\""), source: .cbu, item: "currency USD")
            }
            guard let parsed = FieldText.dayDMY(text) else {
                throw RatePayloadError(.invalidDate(field: "\"Date\"", text: text), source: .cbu, item: "currency USD")
            }
            day = parsed
        } else if let newest = items.compactMap({ $0.date.value.flatMap(FieldText.dayDMY) }).max() {
            day = newest
        } else {
            throw RatePayloadError(.missingField("\"Date\""), source: .cbu, item: "every object")
        }

        var collector = QuoteCollector(source: .cbu)
        var ignored: [IgnoredPayloadItem] = []
        for (index, item) in items.enumerated() {
            let label = item.ccy.value.map { "currency \($0)" } ?? "object \(index + 1)"
            if let problem = item.ccy.problem ?? item.nominal.problem ?? item.rate.problem ?? item.date.problem {
                // A figure sent as a JSON number would have to pass through Double: refuse it rather than guess.
                let error = RatePayloadError(.notJSON(detail: problem), source: .cbu, item: label)
                if item.ccy.value?.uppercased() == "USD" { throw error }
                ignored.append(IgnoredPayloadItem(item: label, reason: error.description))
                continue
            }
            let itemDay = item.date.value.flatMap(FieldText.dayDMY)
            guard itemDay == day else {
                ignored.append(IgnoredPayloadItem(item: label, reason: "dated \(item.date.value ?? "nothing"), not \(day.iso)"))
                continue
            }
            try collector.add(
                code: item.ccy.value, item: label, line: nil,
                nominal: .init(text: item.nominal.value, name: "\"Nominal\""),
                value: .init(text: item.rate.value, name: "\"Rate\""))
        }
        return BankPublication(source: .cbu, format: .cbuJSON, effectiveDate: day,
                               quotes: collector.quotes, ignored: ignored + collector.ignored)
    }

    private static func describe(_ error: DecodingError, bytes: Int) -> String {
        switch error {
        case .dataCorrupted(let context):
            let what = context.debugDescription.trimmingCharacters(in: CharacterSet(charactersIn: "."))
            return "\(what) (\(bytes) bytes received: the body may be truncated)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return "\(context.debugDescription) at \(path.isEmpty ? "the top level" : path)"
        @unknown default:
            return String(describing: error)
        }
    }

    /// One object of the array; each field keeps its string, or says why it has none.
    private struct Item: Decodable {
        let ccy: Field
        let nominal: Field
        let rate: Field
        let date: Field

        enum CodingKeys: String, CodingKey {
            case ccy = "Ccy", nominal = "Nominal", rate = "Rate", date = "Date"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            ccy = Field(container, .ccy)
            nominal = Field(container, .nominal)
            rate = Field(container, .rate)
            date = Field(container, .date)
        }
    }

    private struct Field {
        var value: String?
        var problem: String?

        init(_ container: KeyedDecodingContainer<Item.CodingKeys>, _ key: Item.CodingKeys) {
            do {
                value = try container.decodeIfPresent(String.self, forKey: key)
            } catch {
                problem = "\"\(key.stringValue)\" is not a string (CBU sends every figure as a string)"
            }
        }
    }
}

import CaravanCore
import CaravanRates
import Foundation
import Testing

/// Reads the verbatim bank payloads bundled with this test target (see Fixtures/SOURCES.md).
enum Fixture {
    static func url(_ path: String) -> URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(path)
    }

    static func data(_ path: String) throws -> Data {
        try Data(contentsOf: url(path))
    }

    static func publication(_ path: String, _ source: RateSource) throws -> BankPublication {
        try RatePayloadParser.parse(data(path), source: source)
    }

    static func publications(_ path: String, _ source: RateSource) throws -> [BankPublication] {
        try RatePayloadParser.parsePublications(data(path), source: source)
    }

    /// Every payload file of one bank folder, by name.
    static func files(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url(folder).path).sorted().map { "\(folder)/\($0)" }
    }
}

func rateDay(_ iso: String) -> Day { Day(iso: iso)! }

func exact(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))! }

func usdRate(_ currency: Currency, _ perUSD: String, _ date: String, _ source: RateSource, via: Currency? = nil) -> Rate {
    Rate(currency: currency, perUSD: exact(perUSD), effectiveDate: rateDay(date), source: source, crossVia: via)
}

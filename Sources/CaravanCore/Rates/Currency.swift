import Foundation

/// An ISO 4217 alphabetic currency code, upper case.
public struct Currency: Hashable, Comparable, Sendable, RawRepresentable, CustomStringConvertible {
    public let code: String

    /// Accepts three ASCII letters in any case; anything else is not a currency code.
    public init?(code: String) {
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        self.code = code.uppercased()
    }

    public init?(rawValue: String) { self.init(code: rawValue) }

    public var rawValue: String { code }
    public var description: String { code }

    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.code < rhs.code }

    private init(known code: String) { self.code = code }

    public static let usd = Currency(known: "USD")
    public static let kzt = Currency(known: "KZT")
    public static let kgs = Currency(known: "KGS")
    public static let tjs = Currency(known: "TJS")
    public static let uzs = Currency(known: "UZS")
    public static let tmt = Currency(known: "TMT")
    public static let rub = Currency(known: "RUB")

    /// TMT per dollar under the Central Bank of Turkmenistan's administrative peg (since January 2015): a baseline
    /// for the sanity band when no TMT rate has been stored yet.
    public static let tmtPegPerUSD = Decimal(string: "3.5")!

    /// The five currencies of the ticker, in the order the site shows them.
    public static let tracked: [Currency] = [.kzt, .kgs, .tjs, .uzs, .tmt]

    /// The bank whose own quote of this currency is authoritative, if we read one.
    public var authoritativeSource: RateSource? {
        RateSource.allCases.first { $0.homeCurrency == self }
    }
}

extension Currency: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let currency = Currency(code: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a three-letter currency code, found \"\(text)\"")
        }
        self = currency
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}

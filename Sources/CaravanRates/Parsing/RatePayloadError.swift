import CaravanCore
import Foundation

/// Why a bank payload could not be read, with where it went wrong and what to do about it.
public struct RatePayloadError: Error, Hashable, Sendable, CustomStringConvertible, LocalizedError {
    public enum Kind: Hashable, Sendable {
        /// The body has no bytes (or only white space).
        case emptyBody
        /// The bank served an HTML page (error, maintenance, anti-bot) instead of its rates.
        case htmlPage(title: String?)
        /// The body is not markup of the expected kind at all; `start` is its first characters.
        case notXML(start: String)
        /// CBU: the body is not the expected JSON array of rate objects.
        case notJSON(detail: String)
        /// The XML declaration names an encoding the parser does not read.
        case unsupportedEncoding(name: String)
        /// A byte that is invalid in the declared (or default UTF-8) encoding.
        case invalidBytes(encoding: String, offset: Int, byte: UInt8)
        /// Declared windows-1251, but the bytes are UTF-8: decoding would garble the text.
        case encodingMismatch(declared: String, actual: String)
        /// Not well-formed XML, usually a truncated body.
        case malformed(detail: String, column: Int?)
        /// The root element is not the one this bank's feed has.
        case unexpectedRoot(found: String, expected: String)
        /// The payload is recognisably another bank's feed.
        case anotherSourcesPayload(likely: RateSource, evidence: String)
        /// A required element, attribute or key is absent or empty.
        case missingField(String)
        /// A figure that is not a plain decimal number (or not a positive one).
        case invalidNumber(field: String, text: String)
        /// A date in none of the formats the bank uses.
        case invalidDate(field: String, text: String)
        /// CBR XML_dynamic names its currency by an internal id that is not in the parser's table.
        case unknownCurrencyID(String)
        /// The payload parsed but holds no usable rate.
        case noQuotes
        /// The payload's own date is not the date that was asked for (NBT and CBU answer with another day silently).
        case dateMismatch(requested: Day, effective: Day)
        /// A history payload (CBR XML_dynamic) holds several dates where one publication was expected.
        case severalDates(first: Day, last: Day, count: Int)
    }

    public let source: RateSource
    public let kind: Kind
    /// The item concerned, such as "currency USD" or "item 3".
    public let item: String?
    /// The 1-based line in the payload, when the parser knows it.
    public let line: Int?

    public init(_ kind: Kind, source: RateSource, item: String? = nil, line: Int? = nil) {
        self.kind = kind
        self.source = source
        self.item = item
        self.line = line
    }

    public var errorDescription: String? { description }

    /// One sentence saying what is wrong and where, then what to do.
    public var description: String {
        let name = source.rawValue.uppercased()
        var place = ""
        if let line { place += " at line \(line)" }
        if let item { place += (place.isEmpty ? " " : ", ") + item }
        let subject = "\(name) payload\(place)"
        switch kind {
        case .emptyBody:
            return "\(subject) is empty: the bank answered without a body. Keep the last good rates and fetch again later."
        case .htmlPage(let title):
            let named = title.map { " (title \"\($0)\")" } ?? ""
            return "\(subject) is an HTML page\(named), not the \(name) rates: the bank served an error, "
                + "maintenance or anti-bot page. Check the URL and the User-Agent, keep the last good rates and retry later."
        case .notXML(let start):
            return "\(subject) is not XML: it starts with \"\(start)\". Check that this is the \(name) rates file "
                + "and that --source is right."
        case .notJSON(let detail):
            return "\(subject) is not the expected JSON array of rates: \(detail). Check the URL "
                + "(CBU answers [] for an unknown currency) and that --source is right."
        case .unsupportedEncoding(let encoding):
            return "\(subject) declares encoding \"\(encoding)\", which is not read here (only UTF-8 and windows-1251). "
                + "Convert the file to UTF-8 and fix its XML declaration."
        case .invalidBytes(let encoding, let offset, let byte):
            let hex = String(byte, radix: 16, uppercase: true)
            return "\(subject) is not valid \(encoding): byte 0x\(hex.count == 1 ? "0" + hex : hex) at offset \(offset). "
                + "The file was probably saved in another encoding (windows-1251?): fix its XML declaration or re-save it as \(encoding)."
        case .encodingMismatch(let declared, let actual):
            return "\(subject) declares \(declared) but its bytes are \(actual); reading it as \(declared) would garble the text. "
                + "Fix the XML declaration or re-save the file as \(declared)."
        case .malformed(let detail, let column):
            let at = column.map { ", column \($0)" } ?? ""
            return "\(subject)\(at) is not well-formed XML (\(detail)). The body is probably truncated or damaged: fetch it again."
        case .unexpectedRoot(let found, let expected):
            return "\(subject) has root element <\(found)>, but the \(name) feed has \(expected). "
                + "Check that the file is \(RatePayloadError.article(source)) \(name) payload and that --source is right."
        case .anotherSourcesPayload(let likely, let evidence):
            let other = likely.rawValue.uppercased()
            return "\(subject) looks like \(RatePayloadError.article(likely)) \(other) payload (\(evidence)), not \(name). "
                + "Use --source \(likely.rawValue)."
        case .missingField(let field):
            return "\(subject): \(field) is missing or empty. The feed's layout may have changed; check the payload."
        case .invalidNumber(let field, let text):
            return "\(subject): \(field) is \"\(text)\", not a positive decimal number. The feed's layout may have changed; check the payload."
        case .invalidDate(let field, let text):
            return "\(subject): \(field) is \"\(text)\", not a date in the bank's format. The feed's layout may have changed; check the payload."
        case .unknownCurrencyID(let id):
            return "\(subject): currency id \"\(id)\" is not one the parser knows (R01235 is USD, R01335 KZT, R01370 KGS, "
                + "R01670 TJS, R01710A TMT, R01717 UZS). Add it to CBRPayload.currencyCodes from an XML_daily payload."
        case .noQuotes:
            return "\(subject) holds no usable rate. Check the URL and the date asked for, keep the last good rates and retry later."
        case .dateMismatch(let requested, let effective):
            return "\(subject) is for \(effective), not the requested \(requested): the bank returned another day's rates. "
                + "Do not store them as \(requested)."
        case .severalDates(let first, let last, let count):
            return "\(subject) is a history with \(count) dates (\(first) to \(last)); read it with "
                + "RatePayloadParser.parsePublications(_:source:)."
        }
    }

    /// "an NBK", "a CBR": the initials are read letter by letter.
    private static func article(_ source: RateSource) -> String {
        source.rawValue.hasPrefix("n") ? "an" : "a"
    }
}

import CaravanCore
import Foundation

/// Turns payload bytes into text: by the XML declaration's encoding (UTF-8 or windows-1251), refusing bytes that do not fit.
enum PayloadDecoding {
    /// The payload as XML text whose declaration now says UTF-8, ready for `XMLParser`.
    static func xmlText(_ data: Data, source: RateSource) throws(RatePayloadError) -> String {
        let body = try significantBytes(data, source: source)
        try rejectHTML(body, source: source)
        guard let first = firstNonSpace(body) else { throw RatePayloadError(.emptyBody, source: source) }
        if body[first] != UInt8(ascii: "<") {
            let preview = String(decoding: body[first...].prefix(300), as: UTF8.self)
            if (body[first] == UInt8(ascii: "[") || body[first] == UInt8(ascii: "{")) && preview.contains("\"Ccy\"") {
                let evidence = "a JSON array with \"Ccy\" keys"
                throw RatePayloadError(.anotherSourcesPayload(likely: .cbu, evidence: evidence), source: source)
            }
            throw RatePayloadError(.notXML(start: String(preview.prefix(40))), source: source)
        }
        let declared = declaredEncoding(body)
        let text: String
        switch declared.map(canonicalEncoding) ?? .utf8 {
        case .utf8:
            text = try utf8Text(body, encoding: "UTF-8", source: source)
        case .windows1251:
            let check = UTF8Check(body)
            if check.firstInvalid == nil && check.hasMultibyte {
                throw RatePayloadError(.encodingMismatch(declared: "windows-1251", actual: "UTF-8"), source: source)
            }
            guard let decoded = String(data: Data(body), encoding: .windowsCP1251) else {
                throw RatePayloadError(.unsupportedEncoding(name: declared ?? "windows-1251"), source: source)
            }
            text = decoded
        case .unsupported:
            throw RatePayloadError(.unsupportedEncoding(name: declared ?? "?"), source: source)
        }
        return redeclaredAsUTF8(text, declared: declared)
    }

    /// The payload as JSON text (JSON is always UTF-8).
    static func jsonText(_ data: Data, source: RateSource) throws(RatePayloadError) -> String {
        let body = try significantBytes(data, source: source)
        try rejectHTML(body, source: source)
        return try utf8Text(body, encoding: "UTF-8", source: source)
    }

    /// True when the first significant character is `<`: markup, not JSON.
    static func startsWithMarkup(_ data: Data) -> Bool {
        var bytes = ArraySlice([UInt8](data.prefix(4096)))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        return firstNonSpace(bytes).map { bytes[$0] == UInt8(ascii: "<") } ?? false
    }

    /// The `<title>` of an HTML page, tidied, for error messages.
    static func htmlTitle(in text: String) -> String? {
        guard let open = text.range(of: "<title", options: .caseInsensitive),
              let close = text.range(of: ">", range: open.upperBound..<text.endIndex),
              let end = text.range(of: "</title>", options: .caseInsensitive, range: close.upperBound..<text.endIndex)
        else { return nil }
        let words = text[close.upperBound..<end.lowerBound].split(whereSeparator: \.isWhitespace)
        let title = words.joined(separator: " ")
        return title.isEmpty ? nil : String(title.prefix(80))
    }

    /// The name of the first element in `text`, skipping the declaration, comments and doctype.
    static func rootName(in text: String) -> String? {
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            let after = rest.index(after: open)
            guard after < rest.endIndex else { return nil }
            if rest[after] == "?" || rest[after] == "!" {
                guard let close = rest[after...].firstIndex(of: ">") else { return nil }
                rest = rest[rest.index(after: close)...]
                continue
            }
            let name = rest[after...].prefix { !$0.isWhitespace && $0 != ">" && $0 != "/" }
            return name.isEmpty ? nil : String(name)
        }
        return nil
    }

    // MARK: - Bytes

    private enum Encoding { case utf8, windows1251, unsupported }

    private static func canonicalEncoding(_ name: String) -> Encoding {
        switch name.trimmingCharacters(in: .whitespaces).lowercased() {
        case "utf-8", "utf8", "us-ascii", "ascii": return .utf8
        case "windows-1251", "cp1251", "cp-1251", "win-1251", "x-cp1251": return .windows1251
        default: return .unsupported
        }
    }

    /// The bytes without a UTF-8 byte-order mark; refuses an empty body and UTF-16.
    private static func significantBytes(_ data: Data, source: RateSource) throws(RatePayloadError) -> ArraySlice<UInt8> {
        var bytes = ArraySlice([UInt8](data))
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) {
            throw RatePayloadError(.unsupportedEncoding(name: "UTF-16"), source: source)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard firstNonSpace(bytes) != nil else { throw RatePayloadError(.emptyBody, source: source) }
        return bytes
    }

    private static func rejectHTML(_ body: ArraySlice<UInt8>, source: RateSource) throws(RatePayloadError) {
        let head = String(decoding: body.prefix(4096), as: UTF8.self)
        let root = rootName(in: head)?.lowercased()
        let doctype = head.range(of: "<!doctype html", options: .caseInsensitive) != nil
        if root == "html" || doctype {
            throw RatePayloadError(.htmlPage(title: htmlTitle(in: head)), source: source)
        }
    }

    private static func firstNonSpace(_ bytes: ArraySlice<UInt8>) -> Int? {
        bytes.firstIndex { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    }

    private static func utf8Text(_ body: ArraySlice<UInt8>, encoding: String, source: RateSource) throws(RatePayloadError) -> String {
        let check = UTF8Check(body)
        if check.endsMidCharacter {
            let lines = body.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw RatePayloadError(.malformed(detail: "the body ends in the middle of a character", column: nil),
                                   source: source, line: lines)
        }
        if let bad = check.firstInvalid {
            // Offsets count from the start of the original data, byte-order mark included.
            throw RatePayloadError(.invalidBytes(encoding: encoding, offset: bad, byte: body[bad]), source: source)
        }
        return String(decoding: body, as: UTF8.self)
    }

    /// The value of `encoding="…"` in the XML declaration, if there is one.
    private static func declaredEncoding(_ body: ArraySlice<UInt8>) -> String? {
        guard let start = firstNonSpace(body) else { return nil }
        let head = String(decoding: body[start...].prefix(512), as: UTF8.self)
        guard head.hasPrefix("<?xml"), let end = head.range(of: "?>") else { return nil }
        let declaration = head[..<end.lowerBound]
        guard let key = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let value = rest.dropFirst().prefix { $0 != quote }
        return String(value)
    }

    /// Rewrites the declared encoding as UTF-8: the text is now Swift's, and XMLParser must not decode it again.
    private static func redeclaredAsUTF8(_ text: String, declared: String?) -> String {
        guard let declared, let end = text.range(of: "?>"),
              let value = text.range(of: declared, range: text.startIndex..<end.lowerBound) else { return text }
        return text.replacingCharacters(in: value, with: "UTF-8")
    }
}

/// Finds the first byte that breaks UTF-8, and whether any multi-byte sequence occurs.
struct UTF8Check {
    var firstInvalid: Int?
    var hasMultibyte = false
    /// The only fault is a sequence cut short by the end of the data: a truncated body, not a wrong encoding.
    var endsMidCharacter = false

    init(_ bytes: ArraySlice<UInt8>) {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let lead = bytes[i]
            if lead < 0x80 { i += 1; continue }
            let length: Int
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; secondRange = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; secondRange = 0x80...0x9F
            case 0xF0: length = 4; secondRange = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; secondRange = 0x80...0x8F
            default: firstInvalid = i; return
            }
            for k in 1..<length {
                let at = i + k
                let allowed = k == 1 ? secondRange : 0x80...0xBF
                guard at < bytes.endIndex else {
                    firstInvalid = i
                    endsMidCharacter = true
                    return
                }
                guard allowed.contains(bytes[at]) else {
                    // Point at the start of the broken sequence: that byte tells which encoding the file really has.
                    firstInvalid = i
                    return
                }
            }
            hasMultibyte = true
            i += length
        }
    }
}

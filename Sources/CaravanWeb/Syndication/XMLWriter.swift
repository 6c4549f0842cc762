import Foundation

/// Text made safe for XML 1.0 element content and attribute values.
enum XMLText {
    /// Escapes the five markup characters and drops characters XML 1.0 forbids (control characters, U+FFFE, U+FFFF).
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: if isAllowed(scalar) { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// The XML 1.0 `Char` production; Swift strings cannot hold surrogates, so only the gaps below remain.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}

/// Builds an XML document element by element; every name it is given is ours, every value goes through `XMLText`.
struct XMLWriter {
    private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    private var open: [String] = []

    typealias Attributes = [(String, String)]

    /// Opens an element that will hold others.
    mutating func start(_ name: String, _ attributes: Attributes = []) {
        line("<\(name)\(Self.attributes(attributes))>")
        open.append(name)
    }

    /// Closes the innermost open element.
    mutating func end() {
        let name = open.removeLast()
        line("</\(name)>")
    }

    /// An element with text content.
    mutating func element(_ name: String, _ value: String, _ attributes: Attributes = []) {
        line("<\(name)\(Self.attributes(attributes))>\(XMLText.escape(value))</\(name)>")
    }

    /// An element with attributes only.
    mutating func empty(_ name: String, _ attributes: Attributes) {
        line("<\(name)\(Self.attributes(attributes))/>")
    }

    /// The finished document; every element opened has been closed.
    var document: String {
        precondition(open.isEmpty, "unclosed elements: \(open)")
        return text
    }

    private mutating func line(_ markup: String) {
        text += String(repeating: "  ", count: open.count) + markup + "\n"
    }

    private static func attributes(_ attributes: Attributes) -> String {
        attributes.map { " \($0.0)=\"\(XMLText.escape($0.1))\"" }.joined()
    }
}

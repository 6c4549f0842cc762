/// Plain text from the HTML we render ourselves: tags dropped, entities decoded.
public enum PlainText {
    public static func fromHTML(_ html: String) -> String {
        // Tags and entities are ASCII, so the scan runs over UTF-8 bytes and copies text between them whole.
        let bytes = Array(html.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<") {
                var end = index + 1
                while end < bytes.count && bytes[end] != UInt8(ascii: ">") { end += 1 }
                // Block ends become spaces so that paragraphs do not run together.
                if isBlockTag(bytes[(index + 1)..<min(end, bytes.count)]), let last = output.last,
                    last != UInt8(ascii: " ")
                {
                    output.append(UInt8(ascii: " "))
                }
                index = end + 1
            } else if byte == UInt8(ascii: "&"), let (decoded, next) = decodeEntity(bytes, at: index) {
                output.append(contentsOf: decoded.utf8)
                index = next
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static let blockTags: Set<String> = [
        "p", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "td", "th", "div", "hr",
        "figcaption", "dd", "dt",
    ]

    private static func isBlockTag(_ tag: ArraySlice<UInt8>) -> Bool {
        let name = tag.drop(while: { $0 == UInt8(ascii: "/") }).prefix(while: {
            ($0 >= 97 && $0 <= 122) || ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57)
        })
        guard !name.isEmpty, name.count <= 10 else { return false }
        return blockTags.contains(String(decoding: name, as: UTF8.self).lowercased())
    }

    private static func decodeEntity(_ bytes: [UInt8], at start: Int) -> (String, Int)? {
        var end = start + 1
        while end < bytes.count, end - start <= 12, bytes[end] != UInt8(ascii: ";") { end += 1 }
        guard end < bytes.count, bytes[end] == UInt8(ascii: ";") else { return nil }
        let name = String(decoding: bytes[(start + 1)..<end], as: UTF8.self)
        let next = end + 1
        switch name {
        case "amp": return ("&", next)
        case "lt": return ("<", next)
        case "gt": return (">", next)
        case "quot": return ("\"", next)
        case "apos", "#39": return ("'", next)
        case "nbsp": return (" ", next)
        default:
            guard name.first == "#" else { return nil }
            let digits = name.dropFirst()
            let value =
                digits.first == "x" || digits.first == "X"
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, let scalar = Unicode.Scalar(value) else { return nil }
            return (String(Character(scalar)), next)
        }
    }
}

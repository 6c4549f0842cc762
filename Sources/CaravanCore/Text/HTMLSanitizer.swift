/// Keeps the HTML that a story body may contain and turns every other tag into visible text.
///
/// The Markdown renderer passes raw HTML through, so its output is checked tag by tag against an
/// allow-list; anything else (scripts, event handlers, `javascript:` links, SVG) ends up escaped.
public enum HTMLSanitizer {
    static let allowedTags: Set<String> = [
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "b", "i", "u", "s", "del", "ins",
        "sub", "sup", "small", "mark", "code", "pre", "kbd", "blockquote", "q", "cite", "ul", "ol", "li", "dl", "dt",
        "dd", "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
        "abbr", "span",
    ]
    static let voidTags: Set<String> = ["br", "hr", "img"]
    static let allowedAttributes: [String: Set<String>] = [
        "a": ["href", "title"], "img": ["src", "alt", "title", "width", "height"], "abbr": ["title"],
        "td": ["align"], "th": ["align"], "ol": ["start"], "code": ["class"],
    ]
    static let urlAttributes: Set<String> = ["href", "src"]

    public static func clean(_ html: String) -> String {
        var output = ""
        output.reserveCapacity(html.utf8.count + 64)
        var index = html.startIndex
        while index < html.endIndex {
            let character = html[index]
            if character == "<" {
                if let (tag, next) = parseTag(html, at: index) {
                    output += tag
                    index = next
                } else {
                    output += "&lt;"
                    index = html.index(after: index)
                }
            } else if character == ">" {
                output += "&gt;"
                index = html.index(after: index)
            } else if character == "&" {
                // Keep entities the renderer wrote; a bare ampersand becomes one.
                let rest = html[index...].prefix(12)
                if let semicolon = rest.firstIndex(of: ";"),
                    rest[rest.index(after: rest.startIndex)..<semicolon]
                        .allSatisfy({ $0.isLetter || $0.isNumber || $0 == "#" }),
                    semicolon > rest.index(after: rest.startIndex)
                {
                    output += html[index...semicolon]
                    index = html.index(after: semicolon)
                } else {
                    output += "&amp;"
                    index = html.index(after: index)
                }
            } else {
                output.append(character)
                index = html.index(after: index)
            }
        }
        return output
    }

    /// An allowed tag rebuilt from scratch with its allowed attributes, or nil to escape the `<`.
    private static func parseTag(_ html: String, at start: String.Index) -> (String, String.Index)? {
        var index = html.index(after: start)
        var closing = false
        if index < html.endIndex, html[index] == "/" {
            closing = true
            index = html.index(after: index)
        }
        var name = ""
        while index < html.endIndex, html[index].isASCII, html[index].isLetter || html[index].isNumber {
            name.append(html[index])
            index = html.index(after: index)
        }
        name = name.lowercased()
        guard !name.isEmpty, allowedTags.contains(name) else { return nil }
        var attributes: [(String, String)] = []
        while index < html.endIndex {
            while index < html.endIndex, html[index].isWhitespace { index = html.index(after: index) }
            guard index < html.endIndex else { return nil }
            if html[index] == ">" {
                index = html.index(after: index)
                break
            }
            if html[index] == "/" {
                index = html.index(after: index)
                continue
            }
            var attribute = ""
            while index < html.endIndex, !html[index].isWhitespace, !"=>/\"'<".contains(html[index]) {
                attribute.append(html[index])
                index = html.index(after: index)
            }
            guard !attribute.isEmpty else { return nil }
            var value = ""
            while index < html.endIndex, html[index].isWhitespace { index = html.index(after: index) }
            if index < html.endIndex, html[index] == "=" {
                index = html.index(after: index)
                while index < html.endIndex, html[index].isWhitespace { index = html.index(after: index) }
                guard index < html.endIndex else { return nil }
                if html[index] == "\"" || html[index] == "'" {
                    let quote = html[index]
                    index = html.index(after: index)
                    guard let end = html[index...].firstIndex(of: quote) else { return nil }
                    value = String(html[index..<end])
                    index = html.index(after: end)
                } else {
                    while index < html.endIndex, !html[index].isWhitespace, html[index] != ">" {
                        value.append(html[index])
                        index = html.index(after: index)
                    }
                }
            }
            attributes.append((attribute.lowercased(), PlainText.fromHTML(value)))
        }
        if closing {
            return voidTags.contains(name) ? ("", index) : ("</\(name)>", index)
        }
        var tag = "<\(name)"
        let allowed = allowedAttributes[name] ?? []
        for (attribute, value) in attributes where allowed.contains(attribute) {
            if urlAttributes.contains(attribute) && !isSafeURL(value) { continue }
            tag += " \(attribute)=\"\(escapeAttribute(value))\""
        }
        if name == "a" { tag += " rel=\"nofollow noopener\"" }
        tag += ">"
        return (tag, index)
    }

    /// http(s), mailto, or a relative link; `javascript:`, `data:` and friends are dropped however they are disguised.
    public static func isSafeURL(_ value: String) -> Bool {
        let compact = value.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }
        let text = String(String.UnicodeScalarView(compact)).lowercased()
        guard let colon = text.firstIndex(of: ":") else { return true }
        if let slash = text.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }), slash < colon { return true }
        let scheme = text[..<colon]
        return scheme == "http" || scheme == "https" || scheme == "mailto"
    }

    /// Text made safe for HTML content and attribute values: `& < > " '` escaped, everything else as it is.
    public static func escapeAttribute(_ value: String) -> String {
        var bytes: [UInt8] = []
        appendEscaped(value.utf8, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same escaping on UTF-8 bytes, appended; the five are ASCII, so no multi-byte character is ever split.
    @inlinable  // specialised where it is called: a generic loop across modules costs far more than the escaping
    public static func appendEscaped(_ text: some Sequence<UInt8>, to html: inout [UInt8]) {
        for byte in text {
            switch byte {
            case UInt8(ascii: "&"): html += "&amp;".utf8
            case UInt8(ascii: "<"): html += "&lt;".utf8
            case UInt8(ascii: ">"): html += "&gt;".utf8
            case UInt8(ascii: "\""): html += "&quot;".utf8
            case UInt8(ascii: "'"): html += "&#39;".utf8
            default: html.append(byte)
            }
        }
    }
}

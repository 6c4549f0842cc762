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

    /// Runs over UTF-8 bytes (tags, entities and their delimiters are ASCII, so no character is ever split): a story of
    /// deep block quotes renders to megabytes, and the scan must stay a small part of the time cmark takes.
    public static func clean(_ html: String) -> String {
        var source = html
        return source.withUTF8 { bytes in
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + 64)
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "<"):
                    if let next = appendTag(bytes, at: index, to: &output) {
                        index = next
                    } else {
                        output += "&lt;".utf8
                        index += 1
                    }
                case UInt8(ascii: ">"):
                    output += "&gt;".utf8
                    index += 1
                case UInt8(ascii: "&"):
                    // Keep entities the renderer wrote; a bare ampersand becomes one.
                    var end = index + 1
                    let limit = min(bytes.count, index + 12)
                    while end < limit, isEntityByte(bytes[end]) { end += 1 }
                    if end < limit, bytes[end] == UInt8(ascii: ";"), end > index + 1 {
                        output += bytes[index...end]
                        index = end + 1
                    } else {
                        output += "&amp;".utf8
                        index += 1
                    }
                default:
                    // Copy the run up to the next byte that needs a look.
                    var end = index + 1
                    while end < bytes.count, !needsLook(bytes[end]) { end += 1 }
                    output += bytes[index..<end]
                    index = end
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    @inline(__always) private static func needsLook(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
    }

    @inline(__always) private static func isEntityByte(_ byte: UInt8) -> Bool {
        isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "#")
    }

    @inline(__always) private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    @inline(__always) private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// A tag name of up to 16 ASCII letters and digits, lower-cased and packed, so the allow-list is checked without
    /// making a string for every tag.
    struct NameKey: Hashable {
        var low: UInt64 = 0
        var high: UInt64 = 0

        init?(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
            guard range.count <= 16 else { return nil }
            var offset = 0
            for index in range {
                let byte = UInt64(bytes[index] >= 0x41 && bytes[index] <= 0x5A ? bytes[index] | 0x20 : bytes[index])
                if offset < 8 { low |= byte << (8 * offset) } else { high |= byte << (8 * (offset - 8)) }
                offset += 1
            }
        }

        init(_ name: String) {
            var bytes = Array(name.utf8)
            self = bytes.withUnsafeMutableBufferPointer { NameKey(UnsafeBufferPointer($0), 0..<$0.count)! }
        }
    }
    static let anchorKey = NameKey("a")

    /// The allow-list as a small open-addressed table: every tag of a story passes through here, and a `Set` would hash
    /// each name with SipHash.
    struct NameTable {
        private var slots: [(key: NameKey, isVoid: Bool)?] = Array(repeating: nil, count: 256)

        init(allowed: Set<String>, void: Set<String>) {
            for name in allowed {
                let key = NameKey(name)
                var slot = Self.slot(key)
                while slots[slot] != nil { slot = (slot + 1) & 255 }
                slots[slot] = (key, void.contains(name))
            }
        }

        @inline(__always) static func slot(_ key: NameKey) -> Int {
            Int(truncatingIfNeeded: (key.low &* 0x9E37_79B9_7F4A_7C15 ^ key.high) >> 56)
        }

        /// Whether the tag is allowed, and whether it is a void tag; nil when it is not allowed.
        @inline(__always) func lookup(_ key: NameKey) -> Bool? {
            var slot = Self.slot(key)
            while let entry = slots[slot] {
                if entry.key == key { return entry.isVoid }
                slot = (slot + 1) & 255
            }
            return nil
        }
    }
    static let names = NameTable(allowed: allowedTags, void: voidTags)

    /// An allowed tag rebuilt from scratch with its allowed attributes, appended; its end, or nil to escape the `<`.
    private static func appendTag(_ html: UnsafeBufferPointer<UInt8>, at start: Int, to output: inout [UInt8]) -> Int? {
        let end = html.count
        var index = start + 1
        var closing = false
        if index < end, html[index] == UInt8(ascii: "/") {
            closing = true
            index += 1
        }
        let nameStart = index
        while index < end, isASCIIAlphanumeric(html[index]) { index += 1 }
        let nameRange = nameStart..<index
        guard !nameRange.isEmpty, let key = NameKey(html, nameRange), let isVoid = names.lookup(key) else { return nil }
        func appendName() {
            for position in nameRange {
                let byte = html[position]
                output.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            }
        }
        var attributes: [(String, String)] = []
        while index < end {
            while index < end, isSpace(html[index]) { index += 1 }
            guard index < end else { return nil }
            if html[index] == UInt8(ascii: ">") {
                index += 1
                break
            }
            if html[index] == UInt8(ascii: "/") {
                index += 1
                continue
            }
            let attributeStart = index
            while index < end, !isSpace(html[index]), !isAttributeDelimiter(html[index]) { index += 1 }
            guard index > attributeStart else { return nil }
            let attribute = String(decoding: html[attributeStart..<index], as: UTF8.self).lowercased()
            var value = ""
            while index < end, isSpace(html[index]) { index += 1 }
            if index < end, html[index] == UInt8(ascii: "=") {
                index += 1
                while index < end, isSpace(html[index]) { index += 1 }
                guard index < end else { return nil }
                let quote = html[index]
                if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                    index += 1
                    let valueStart = index
                    while index < end, html[index] != quote { index += 1 }
                    guard index < end else { return nil }
                    value = String(decoding: html[valueStart..<index], as: UTF8.self)
                    index += 1
                } else {
                    let valueStart = index
                    while index < end, !isSpace(html[index]), html[index] != UInt8(ascii: ">") { index += 1 }
                    value = String(decoding: html[valueStart..<index], as: UTF8.self)
                }
            }
            attributes.append((attribute, value.utf8.contains(UInt8(ascii: "&")) ? PlainText.fromHTML(value) : value))
        }
        if closing {
            if !isVoid {
                output += "</".utf8
                appendName()
                output.append(UInt8(ascii: ">"))
            }
            return index
        }
        output.append(UInt8(ascii: "<"))
        appendName()
        if !attributes.isEmpty {
            let name = String(decoding: html[nameRange], as: UTF8.self).lowercased()
            let allowed = allowedAttributes[name] ?? []
            for (attribute, value) in attributes where allowed.contains(attribute) {
                if urlAttributes.contains(attribute) && !isSafeURL(value) { continue }
                output += " \(attribute)=\"".utf8
                appendEscaped(value.utf8, to: &output)
                output.append(UInt8(ascii: "\""))
            }
        }
        if key == anchorKey { output += " rel=\"nofollow noopener\"".utf8 }
        output.append(UInt8(ascii: ">"))
        return index
    }

    @inline(__always) private static func isAttributeDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "<"): true
        default: false
        }
    }

    /// http(s), mailto, or a relative link; `javascript:`, `data:` and friends are dropped however they are disguised.
    public static func isSafeURL(_ value: String) -> Bool {
        // Most links are plain https addresses or relative: decided on the bytes without making strings.
        let bytes = value.utf8
        if !bytes.contains(UInt8(ascii: ":")) || bytes.starts(with: "https://".utf8) || bytes.starts(with: "http://".utf8) {
            return true
        }
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
    public static func appendEscaped<Bytes: Collection<UInt8>>(_ text: Bytes, to html: inout [UInt8]) {
        // Runs of plain bytes are copied at once; most of a text has nothing to escape.
        var plain = text.startIndex
        var at = plain
        while at != text.endIndex {
            let entity: StaticString
            switch text[at] {
            case UInt8(ascii: "&"): entity = "&amp;"
            case UInt8(ascii: "<"): entity = "&lt;"
            case UInt8(ascii: ">"): entity = "&gt;"
            case UInt8(ascii: "\""): entity = "&quot;"
            case UInt8(ascii: "'"): entity = "&#39;"
            default:
                text.formIndex(after: &at)
                continue
            }
            html.append(contentsOf: text[plain..<at])
            entity.withUTF8Buffer { html.append(contentsOf: $0) }
            text.formIndex(after: &at)
            plain = at
        }
        html.append(contentsOf: text[plain..<at])
    }
}

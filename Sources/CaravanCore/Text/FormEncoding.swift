/// `application/x-www-form-urlencoded`, as browsers write it: the one decoder every query string and posted form
/// goes through, and the one escaper every link's query values go through.
public enum FormEncoding {
    /// A browser's GET form sends a space as `+`, and a typed `+` as `%2B`: `+` becomes a space first, then every
    /// `%XX` its byte. A broken escape (`%zz`, a lone `%`) is kept as typed; bytes that are not UTF-8 become U+FFFD.
    public static func decode(_ text: Substring) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex),
                high != utf8.endIndex, let low = utf8.index(high, offsetBy: 1, limitedBy: utf8.endIndex),
                low != utf8.endIndex, let h = hexValue(utf8[high]), let l = hexValue(utf8[low])
            {
                bytes.append(h << 4 | l)
                index = low
            } else {
                bytes.append(byte)
            }
            index = utf8.index(after: index)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func decode(_ text: String) -> String { decode(text[...]) }

    /// Every `name=value` pair of a query string or form body, decoded, in order; `a&b=` gives ("a", "") and ("b", "").
    public static func pairs(_ text: Substring) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// A value ready for a link's query string: RFC 3986's unreserved ASCII as it is, every other byte `%XX`
    /// (a space is `%20`, which every decoder reads as a space; a `+` is `%2B`).
    public static func escape(_ value: String) -> String {
        if value.utf8.allSatisfy(isUnreserved) { return value }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(value.utf8.count * 3)
        let digits = Array("0123456789ABCDEF".utf8)
        for byte in value.utf8 {
            if isUnreserved(byte) {
                escaped.append(byte)
            } else {
                escaped += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    /// `name=value&…` with both sides escaped.
    public static func query(_ items: [(String, String)]) -> String {
        items.map { "\(escape($0))=\(escape($1))" }.joined(separator: "&")
    }

    /// RFC 3986's unreserved characters: letters, digits, `-`, `.`, `_`, `~`.
    public static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Teaser text: about `limit` characters of plain text, cut between words, ending with "…".
public enum Excerpt {
    public static let defaultLimit = 200

    public static func make(from plainText: String, limit: Int = defaultLimit) -> String {
        // Only the head matters: collapse a generous prefix instead of a whole long body.
        let scalars = plainText.unicodeScalars.prefix(limit * 4 + 64)
        let text = collapseWhitespace(String(scalars))
        // Character is a grapheme cluster, so counting and cutting here never splits a multi-byte letter or an emoji.
        guard text.count > limit else {
            let cutShort = scalars.endIndex < plainText.unicodeScalars.endIndex && !text.isEmpty
            return cutShort ? text + "…" : text
        }
        let window = text.prefix(limit + 1)
        var cut = window.endIndex
        if let space = window.lastIndex(where: { $0 == " " }), space > window.startIndex {
            cut = space
        } else {
            cut = text.index(text.startIndex, offsetBy: limit)
        }
        var head = String(text[..<cut])
        // A dangling comma or dash before the ellipsis reads badly.
        while let last = head.last, ",;:-–—(".contains(last) || last == " " {
            head.removeLast()
        }
        return head + "…"
    }

    /// Runs of white space become one space; works on scalars, since a white-space scalar never joins a grapheme.
    static func collapseWhitespace(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(scalar)
            }
        }
        return String(result)
    }
}

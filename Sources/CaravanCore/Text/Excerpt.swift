/// Teaser text: about `limit` characters of plain text, cut between words, ending with "…".
public enum Excerpt {
    public static let defaultLimit = 200

    public static func make(from plainText: String, limit: Int = defaultLimit) -> String {
        let text = collapseWhitespace(plainText)
        // Character is a grapheme cluster, so counting and cutting here never splits a multi-byte letter or an emoji.
        guard text.count > limit else { return text }
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

    static func collapseWhitespace(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for character in text {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }
}

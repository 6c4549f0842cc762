/// Plain text from the HTML we render ourselves: tags dropped, entities decoded.
public enum PlainText {
    public static func fromHTML(_ html: String) -> String {
        var text = ""
        text.reserveCapacity(html.utf8.count)
        var inTag = false
        var tagName = ""
        var index = html.startIndex
        while index < html.endIndex {
            let character = html[index]
            if inTag {
                if character == ">" {
                    inTag = false
                    // Block ends become spaces so that paragraphs do not run together.
                    if blockTags.contains(tagName.lowercased()), text.last?.isWhitespace == false { text.append(" ") }
                } else if tagName.last != " " && !character.isWhitespace && character != "/" {
                    tagName.append(character)
                } else if character.isWhitespace {
                    tagName.append(" ")
                }
                index = html.index(after: index)
                continue
            }
            if character == "<" {
                inTag = true
                tagName = ""
            } else if character == "&", let (decoded, next) = decodeEntity(in: html, at: index) {
                text += decoded
                index = next
                continue
            } else {
                text.append(character)
            }
            index = html.index(after: index)
        }
        return text
    }

    private static let blockTags: Set<String> = [
        "p", "p ", "br", "br ", "li", "li ", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "td",
        "th", "div", "hr",
    ]

    private static func decodeEntity(in html: String, at start: String.Index) -> (String, String.Index)? {
        guard let end = html[start...].prefix(12).firstIndex(of: ";") else { return nil }
        let name = html[html.index(after: start)..<end]
        let next = html.index(after: end)
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

import Foundation

/// A WordPress post's content made into what the newsroom writes: the block editor's comments gone, the classic
/// editor's line breaks made into paragraphs (as `wpautop` does), and the shortcodes a reader would see as text
/// turned into plain HTML.
public enum WordPressContent {
    public struct Cleaned: Sendable, Hashable {
        public var html: String
        /// Shortcodes left as text because nothing here knows them (`[contact-form-7]`), each once.
        public var unknownShortcodes: [String]
    }

    /// The shortcodes that become HTML; any other `[name …]` is left as it is and reported.
    static let known: Set<String> = ["caption", "wp_caption", "gallery", "embed", "youtube", "video", "audio"]

    public static func clean(_ content: String) -> Cleaned {
        var text = removingBlockComments(content)
        var unknown: [String] = []
        text = shortcodes(in: text, unknown: &unknown)
        return Cleaned(html: paragraphs(text), unknownShortcodes: unknown)
    }

    /// `<!-- wp:paragraph {"x":1} -->` and `<!-- /wp:paragraph -->` go; the markup between them stays.
    static func removingBlockComments(_ text: String) -> String {
        var result = ""
        var rest = text[...]
        while let open = rest.range(of: "<!--") {
            result += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "-->") else {
                result += rest[open.lowerBound...]
                return result
            }
            let inside = after[..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
            if !(inside.hasPrefix("wp:") || inside.hasPrefix("/wp:") || inside == "more" || inside.hasPrefix("more ")
                || inside == "nextpage")
            {
                result += rest[open.lowerBound..<close.upperBound]
            }
            rest = after[close.upperBound...]
        }
        return result + rest
    }

    /// `[caption]…[/caption]` → `<figure>` with `<figcaption>`, `[gallery ids="…"]` → a note of its images,
    /// `[embed]URL[/embed]`, `[youtube URL]`, `[video src=URL]` → a link (no third-party script is ever loaded).
    static func shortcodes(in text: String, unknown: inout [String]) -> String {
        var result = ""
        var rest = text[...]
        while let open = rest.firstIndex(of: "[") {
            result += rest[..<open]
            let after = rest[rest.index(after: open)...]
            let name = after.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            let next = after[name.endIndex...].first
            guard !name.isEmpty, next == " " || next == "]" || next == "/", let close = after.firstIndex(of: "]") else {
                result.append("[")
                rest = after
                continue
            }
            let attributes = String(after[name.endIndex..<close]).trimmingCharacters(in: CharacterSet(charactersIn: " /"))
            let lowered = name.lowercased()
            guard known.contains(lowered) else {
                if !unknown.contains(lowered) { unknown.append(lowered) }
                result += rest[open...close]
                rest = after[after.index(after: close)...]
                continue
            }
            var body = ""
            var end = after.index(after: close)
            if let closing = after[end...].range(of: "[/\(name)]", options: .caseInsensitive) {
                body = String(after[end..<closing.lowerBound])
                end = closing.upperBound
            }
            result += html(shortcode: lowered, attributes: attribute(in: attributes), body: body, bare: attributes)
            rest = after[end...]
        }
        return result + rest
    }

    private static func html(shortcode: String, attributes: [String: String], body: String, bare: String) -> String {
        switch shortcode {
        case "caption", "wp_caption":
            // The caption is what follows the image inside the shortcode (or, in old exports, its caption attribute).
            let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
            var image = trimmed
            var caption = attributes["caption"] ?? ""
            if let start = trimmed.range(of: "<img"), let end = trimmed[start.upperBound...].firstIndex(of: ">") {
                var cut = trimmed.index(after: end)
                if trimmed[cut...].hasPrefix("</a>") { cut = trimmed.index(cut, offsetBy: 4) }
                image = String(trimmed[..<cut])
                let after = trimmed[cut...].trimmingCharacters(in: .whitespacesAndNewlines)
                if !after.isEmpty { caption = after }
            }
            return "\n\n<figure>\(image)" + (caption.isEmpty ? "" : "<figcaption>\(caption)</figcaption>") + "</figure>\n\n"
        case "gallery":
            let ids = (attributes["ids"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return ids.isEmpty ? "" : "\n\n<!--gallery:\(ids.joined(separator: ","))-->\n\n"
        default:
            let url = attributes["src"] ?? attributes["url"] ?? attributes["mp4"]
                ?? (body.isEmpty ? bare.split(separator: " ").first.map(String.init) : body.trimmingCharacters(in: .whitespacesAndNewlines))
                ?? ""
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else { return "" }
            let escaped = url.replacingOccurrences(of: "\"", with: "%22")
            return "\n\n<p><a href=\"\(escaped)\">\(escaped)</a></p>\n\n"
        }
    }

    /// `name="value"` and `name='value'` pairs of a shortcode.
    static func attribute(in text: String) -> [String: String] {
        var values: [String: String] = [:]
        let pattern = #"([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))"#
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return values }
        let range = NSRange(text.startIndex..., in: text)
        for match in expression.matches(in: text, range: range) {
            guard let name = Range(match.range(at: 1), in: text) else { continue }
            let value = (2...4).compactMap { Range(match.range(at: $0), in: text) }.first.map { String(text[$0]) } ?? ""
            values[text[name].lowercased()] = value
        }
        return values
    }

    /// Blank lines make paragraphs, as `wpautop` does, and a single line break inside one a `<br>`; a block of HTML
    /// (a heading, list, figure, table, quote, `<p>`) stays as it is.
    static func paragraphs(_ text: String) -> String {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        // Runs of lines between blank ones, by hand: Foundation's `components(separatedBy:)` trapped on some
        // combining characters after a line break (found by the hostile-input test).
        var blocks: [String] = []
        var lines: [Substring] = []
        func close() {
            let block = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if !block.isEmpty { blocks.append(block) }
            lines.removeAll()
        }
        for line in normalised.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace) { close() } else { lines.append(line) }
        }
        close()
        let blockTags = [
            "<p", "<h1", "<h2", "<h3", "<h4", "<h5", "<h6", "<ul", "<ol", "<li", "<figure", "<table", "<blockquote",
            "<div", "<pre", "<hr", "<!--", "<dl", "<iframe", "<section",
        ]
        return blocks.map { block in
            let lowered = block.lowercased()
            if blockTags.contains(where: { lowered.hasPrefix($0) }) { return block }
            return "<p>" + block.replacingOccurrences(of: "\n", with: "<br>\n") + "</p>"
        }.joined(separator: "\n\n")
    }
}

/// Inputs that make naive Markdown renderers take time exponential or quadratic in their length, or overflow their
/// stack: what `caravan bench markdown` times and the renderer's tests feed it.
public enum MarkdownStress {
    public struct Pattern: Sendable {
        public let name: String
        public let text: String
    }

    /// Each pattern repeated to about `bytes` bytes.
    public static func patterns(bytes: Int) -> [Pattern] {
        func repeated(_ unit: String) -> String {
            String(repeating: unit, count: max(1, bytes / max(1, unit.utf8.count)))
        }
        func nested(_ open: String, _ close: String) -> String {
            let half = max(1, bytes / 2 / max(1, open.utf8.count))
            return String(repeating: open, count: half) + String(repeating: close, count: half)
        }
        let depth = Int(Double(bytes).squareRoot())
        return [
            Pattern(name: "unmatched [", text: repeated("[")),
            Pattern(name: "unmatched ![a", text: repeated("![a")),
            Pattern(name: "nested brackets [[[a]]]", text: nested("[", "]")),
            Pattern(name: "nested links [a](", text: nested("[a](", ")")),
            Pattern(name: "long link chain [a](b)", text: repeated("[a](b)")),
            Pattern(name: "reference links [a][b]", text: repeated("[a][b]") + "\n\n[b]: /x\n"),
            Pattern(name: "many link definitions", text: repeated("[a]: /x\n") + "[a]"),
            Pattern(name: "unmatched &#", text: repeated("&#")),
            Pattern(name: "unmatched ‹", text: repeated("‹")),
            Pattern(name: "emphasis *a **a", text: repeated("*a **a ")),
            Pattern(name: "nested emphasis", text: nested("*_", "_*")),
            Pattern(name: "underscores a_", text: repeated("a_ _a ")),
            Pattern(name: "backticks", text: repeated("`a``")),
            Pattern(name: "deep block quotes >", text: repeated(">") + " a"),
            Pattern(name: "block quote lines", text: (1...depth).map { String(repeating: "> ", count: $0) + "a\n" }.joined()),
            Pattern(name: "deep lists - - -", text: repeated("- ") + "a"),
            Pattern(name: "indented lists", text: (0..<depth).map { String(repeating: "  ", count: $0) + "- a\n" }.joined()),
            Pattern(name: "unclosed raw HTML <a", text: repeated("<a ")),
            Pattern(name: "unclosed attributes <a x=\"", text: "<div>\n" + repeated("<a x=\"")),
            Pattern(name: "table columns", text: repeated("|a") + "\n" + repeated("|-") + "\n" + repeated("|b") + "\n"),
            Pattern(name: "table rows", text: "|a|b|\n|-|-|\n" + repeated("|x\n")),
            Pattern(name: "autolinks www.", text: repeated("www.a_")),
            Pattern(name: "strikethrough ~~", text: repeated("~~a ~")),
        ]
    }
}

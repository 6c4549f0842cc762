import Ink

/// Turns what the newsroom wrote (Markdown, or plain text with blank lines between paragraphs) into safe HTML.
public enum ArticleBody {
    public static func html(fromMarkdown source: String) -> String {
        // Normalise line endings first: the renderer treats "\r\n" as text.
        let normalised = source.utf8.contains(13)
            ? source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") : source
        let rendered = MarkdownParser().html(from: normalised)
        return HTMLSanitizer.clean(rendered)
    }

    /// The teaser text for a story: its standfirst when it has one, else the start of the body.
    public static func excerpt(standfirst: String, bodyHTML: String, limit: Int = Excerpt.defaultLimit) -> String {
        let source = standfirst.isEmpty ? PlainText.fromHTML(bodyHTML) : standfirst
        return Excerpt.make(from: source, limit: limit)
    }
}

import CCmarkGFM
#if canImport(Glibc)
    import Glibc
#endif

/// Turns what the newsroom wrote (Markdown, or plain text with blank lines between paragraphs) into safe HTML.
public enum ArticleBody {
    /// CommonMark with GitHub's tables, autolinks and strikethrough, by cmark-gfm, which parses in linear time
    /// whatever the input; raw HTML passes through it and is then held to the sanitiser's allow-list.
    public static func html(fromMarkdown source: String) -> String {
        HTMLSanitizer.clean(CommonMark.render(source))
    }

    /// The teaser text for a story: its standfirst when it has one, else the start of the body.
    public static func excerpt(standfirst: String, bodyHTML: String, limit: Int = Excerpt.defaultLimit) -> String {
        let source = standfirst.isEmpty ? PlainText.fromHTML(bodyHTML) : standfirst
        return Excerpt.make(from: source, limit: limit)
    }
}

/// The bridge to cmark-gfm: Markdown in, unsanitised HTML out.
enum CommonMark {
    // The extension registry is process-wide and its registration is not thread-safe: a global runs it once.
    // The pointers name cmark's static extension descriptions, never written after registration.
    nonisolated(unsafe) private static let extensions: [OpaquePointer] = {
        cmark_gfm_core_extensions_ensure_registered()
        let names: [String] = ["table", "autolink", "strikethrough"]
        return names.compactMap { name in cmark_find_syntax_extension(name) }
    }()

    // Raw HTML is kept (the sanitiser decides); NUL and invalid UTF-8 become U+FFFD instead of ending the text.
    private static let options = CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8

    static func render(_ source: String) -> String {
        let extensions = Self.extensions
        guard let parser = cmark_parser_new(options) else { return escapedFallback(source) }
        defer { cmark_parser_free(parser) }
        for syntax in extensions { cmark_parser_attach_syntax_extension(parser, syntax) }
        var text = source
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        guard let document = cmark_parser_finish(parser) else { return escapedFallback(source) }
        defer { cmark_node_free(document) }
        guard let html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else {
            return escapedFallback(source)
        }
        defer { free(html) }
        return String(cString: html)
    }

    /// What a reader sees if cmark cannot allocate: the text itself, escaped, in one paragraph.
    private static func escapedFallback(_ source: String) -> String {
        "<p>" + HTMLSanitizer.escapeAttribute(source) + "</p>\n"
    }
}

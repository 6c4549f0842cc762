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

    /// cmark's HTML before the sanitiser has seen it: never for a page, only for `caravan bench markdown` to time the
    /// two halves apart.
    public static func unsanitisedHTML(fromMarkdown source: String) -> String {
        CommonMark.render(source)
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
    nonisolated(unsafe) private static let extensions: [String: OpaquePointer] = {
        cmark_gfm_core_extensions_ensure_registered()
        var found: [String: OpaquePointer] = [:]
        for name in ["table", "autolink", "strikethrough"] {
            if let syntax = cmark_find_syntax_extension(name) { found[name] = syntax }
        }
        return found
    }()

    /// Which extensions can render this text in linear time. Debian's cmark-gfm 0.29.0.gfm.6 takes time quadratic in
    /// a table row's cells and in the length of a word holding many would-be links (fixed in later releases), so
    /// a row of more than `widestTable` cells, or more than `longestTable` lines that start with `|`, renders without
    /// tables, and text whose words would cost the link scanner more than `autolinkBudget` steps renders without
    /// bare-address links (`<https://…>` links still work).
    static func extensionNames(for text: UnsafeBufferPointer<UInt8>) -> [String] {
        var pipes = 0
        var widest = 0
        var tableLines = 0
        var lineOpened = true
        var run = 0
        var triggers = 0
        var work = 0
        for byte in text {
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                widest = max(widest, pipes)
                pipes = 0
                lineOpened = true
                work += triggers * run
                run = 0
                triggers = 0
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                work += triggers * run
                run = 0
                triggers = 0
            default:
                run += 1
                if lineOpened, byte == UInt8(ascii: "|") { tableLines += 1 }
                lineOpened = false
                switch byte {
                case UInt8(ascii: "|"): pipes += 1
                case UInt8(ascii: "@"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "w"): triggers += 1
                default: break
                }
            }
        }
        widest = max(widest, pipes)
        work += triggers * run
        var names = ["strikethrough"]
        if widest <= widestTable && tableLines <= longestTable { names.append("table") }
        if work <= autolinkBudget { names.append("autolink") }
        return names
    }

    /// Block quotes and lists nest at most this deep; a deeper marker is shown as text. Nothing a newsroom writes
    /// nests so far, and a line of a hundred thousand `>` costs cmark and the sanitiser megabytes of tags.
    static let deepestNesting = 32

    /// The text defused where it would cost cmark-gfm far more than its length, outside fenced code: the marker that
    /// would open the `deepestNesting + 1`-th quote or list on a line is escaped (`\>`, `\-`, `1\.`), and so is
    /// every `*` and `_` of a paragraph that holds more than `mostEmphasisMarks` of them (such a paragraph is no prose;
    /// its marks show as written). Nil when nothing needs it, which is every story but a hostile one.
    static func defused(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var cuts: [Int] = []
        var lineStart = 0
        var inFence = false
        var paragraphStart = 0
        var marks = 0
        func closeParagraph(at end: Int) {
            if marks > mostEmphasisMarks {
                for position in paragraphStart..<end where text[position] == UInt8(ascii: "*") || text[position] == UInt8(ascii: "_") {
                    cuts.append(position)
                }
            }
            marks = 0
        }
        while lineStart < text.count {
            var lineEnd = lineStart
            while lineEnd < text.count, text[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            if !inFence {
                var blank = true
                for position in lineStart..<lineEnd {
                    switch text[position] {
                    case UInt8(ascii: "*"), UInt8(ascii: "_"): marks += 1; blank = false
                    case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): break
                    default: blank = false
                    }
                }
                if blank {
                    closeParagraph(at: lineStart)
                    paragraphStart = lineEnd
                }
            }
            var index = lineStart
            while index < lineEnd, index - lineStart < 3, text[index] == UInt8(ascii: " ") { index += 1 }
            if lineEnd - index >= 3, text[index] == UInt8(ascii: "`") || text[index] == UInt8(ascii: "~"),
                text[index + 1] == text[index], text[index + 2] == text[index]
            {
                if !inFence { closeParagraph(at: lineStart) }
                inFence.toggle()
                paragraphStart = lineEnd
            } else if !inFence {
                var markers = 0
                index = lineStart
                scan: while index < lineEnd {
                    while index < lineEnd, text[index] == UInt8(ascii: " ") || text[index] == UInt8(ascii: "\t") { index += 1 }
                    guard index < lineEnd else { break }
                    var marker = index
                    switch text[index] {
                    case UInt8(ascii: ">"):
                        index += 1
                    case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "*"):
                        guard index + 1 < lineEnd, text[index + 1] == UInt8(ascii: " ") || text[index + 1] == UInt8(ascii: "\t")
                        else { break scan }
                        index += 1
                    case UInt8(ascii: "0")...UInt8(ascii: "9"):
                        var digits = index
                        while digits < lineEnd, digits - index < 9, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[digits]) {
                            digits += 1
                        }
                        guard digits < lineEnd, text[digits] == UInt8(ascii: ".") || text[digits] == UInt8(ascii: ")"),
                            digits + 1 >= lineEnd || text[digits + 1] == UInt8(ascii: " ") || text[digits + 1] == UInt8(ascii: "\t")
                        else { break scan }
                        marker = digits
                        index = digits + 1
                    default:
                        break scan
                    }
                    markers += 1
                    if markers > deepestNesting {
                        cuts.append(marker)
                        break scan
                    }
                }
            }
            lineStart = lineEnd + 1
        }
        if !inFence { closeParagraph(at: text.count) }
        guard !cuts.isEmpty else { return nil }
        // A list marker in a defused paragraph can be cut twice; once is enough.
        cuts = Array(Set(cuts)).sorted()
        var output: [UInt8] = []
        output.reserveCapacity(text.count + cuts.count)
        var copied = 0
        for cut in cuts {
            output += text[copied..<cut]
            output.append(UInt8(ascii: "\\"))
            copied = cut
        }
        output += text[copied...]
        return output
    }

    /// More `*` and `_` than this in one paragraph and they are all shown as written.
    static let mostEmphasisMarks = 10_000

    static let widestTable = 256
    static let longestTable = 5_000
    static let autolinkBudget = 16_000_000

    // Raw HTML is kept (the sanitiser decides); NUL and invalid UTF-8 become U+FFFD instead of ending the text.
    private static let options = CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8

    static func render(_ source: String) -> String {
        let extensions = Self.extensions
        guard let parser = cmark_parser_new(options) else { return escapedFallback(source) }
        defer { cmark_parser_free(parser) }
        var text = source
        text.withUTF8 { bytes in
            for name in extensionNames(for: bytes) {
                if let syntax = extensions[name] { cmark_parser_attach_syntax_extension(parser, syntax) }
            }
            func feed(_ bytes: UnsafeBufferPointer<UInt8>) {
                bytes.withMemoryRebound(to: CChar.self) { chars in cmark_parser_feed(parser, chars.baseAddress, chars.count) }
            }
            if let capped = defused(bytes) {
                capped.withUnsafeBufferPointer(feed)
            } else {
                feed(bytes)
            }
        }
        guard let document = cmark_parser_finish(parser) else { return escapedFallback(source) }
        defer { cmark_node_free(document) }
        guard let html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else {
            return escapedFallback(source)
        }
        defer { free(html) }
        return String(decoding: UnsafeBufferPointer(start: UnsafeRawPointer(html).assumingMemoryBound(to: UInt8.self), count: strlen(html)), as: UTF8.self)
    }

    /// What a reader sees if cmark cannot allocate: the text itself, escaped, in one paragraph.
    private static func escapedFallback(_ source: String) -> String {
        "<p>" + HTMLSanitizer.escapeAttribute(source) + "</p>\n"
    }
}

import Testing

@testable import CaravanSearch

@Suite("Turning FTS5 snippets into safe HTML and plain text")
struct HighlightTests {
    static let htmlCases: [(String, String)] = [
        ("plain text", "plain text"),
        ("\u{E000}tea\u{E001} time", "<mark>tea</mark> time"),
        (
            "<script>alert('x')</script> \u{E000}tea\u{E001}",
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; <mark>tea</mark>"
        ),
        ("\u{E000}<script>\u{E001}", "<mark>&lt;script&gt;</mark>"),
        ("a & b \"q\" 'r' <i>", "a &amp; b &quot;q&quot; &#39;r&#39; &lt;i&gt;"),
        ("&amp;", "&amp;amp;"),
        ("\u{E000}open at the end", "<mark>open at the end</mark>"),
        ("stray close\u{E001} here", "stray close here"),
        ("\u{E000}\u{E000}nested\u{E001}\u{E001}", "<mark>nested</mark>"),
        ("\u{E000}a\u{E000}b\u{E001}c\u{E001}", "<mark>ab</mark>c"),
        ("\u{E000}\u{E001}empty", "empty"),
        ("\u{E001}\u{E000}x\u{E001}", "<mark>x</mark>"),
        ("\u{E000}a\u{E001}\u{E000}b\u{E001}", "<mark>a</mark><mark>b</mark>"),
        ("…in \u{E000}Қазақстан\u{E001} and \u{E000}silk road\u{E001}…", "…in <mark>Қазақстан</mark> and <mark>silk road</mark>…"),
        ("\u{E000}", ""),
        ("\u{E001}", ""),
        ("", ""),
    ]

    @Test("table of raw snippets and HTML", arguments: htmlCases)
    func html(raw: String, expected: String) {
        #expect(Highlight.markedHTML(raw) == expected)
    }

    static let plainCases: [(String, String)] = [
        ("\u{E000}tea\u{E001} time…", "tea time…"),
        ("<b>\u{E000}&\u{E001}", "<b>&"),
        ("\u{E001}\u{E000}\u{E000}", ""),
        ("no marks", "no marks"),
    ]

    @Test("table of raw snippets and plain text", arguments: plainCases)
    func plain(raw: String, expected: String) {
        #expect(Highlight.plainText(raw) == expected)
    }

    @Test("the markers are the characters FTS5 is asked for")
    func markers() {
        #expect(Highlight.openMarker.unicodeScalars.map(\.value) == [0xE000])
        #expect(Highlight.closeMarker.unicodeScalars.map(\.value) == [0xE001])
        #expect(Highlight.ellipsis == "…")
    }

    @Test("whatever the text, the HTML has no tag but balanced marks", arguments: Hostile.all)
    func wellFormed(hostile: Hostile) {
        let text = hostile.text
        let html = Highlight.markedHTML(text + "\u{E000}x\u{E001}")
        let withoutMarks = html.replacingOccurrences(of: "<mark>", with: "").replacingOccurrences(of: "</mark>", with: "")
        #expect(!withoutMarks.contains("<") && !withoutMarks.contains(">") && !withoutMarks.contains("\""))
        #expect(!withoutMarks.contains("'"))
        #expect(html.components(separatedBy: "<mark>").count == html.components(separatedBy: "</mark>").count)
        #expect(!html.unicodeScalars.contains { $0.value == 0xE000 || $0.value == 0xE001 })
        #expect(!Highlight.plainText(text).unicodeScalars.contains { $0.value == 0xE000 || $0.value == 0xE001 })
    }
}

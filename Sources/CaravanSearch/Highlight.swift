import CaravanCore
import Foundation

/// Turns FTS5 `snippet()`/`highlight()` output into safe HTML or plain text. FTS5 is asked to wrap
/// matches in two private-use characters, not in `<mark>`, so that the article text can be escaped
/// first and the marks added after: no article text ever reaches a page unescaped.
///
/// In SQL: `snippet(articles_fts, -1, char(57344), char(57345), '…', 24)`.
public enum Highlight: Sendable {
    /// The character FTS5 puts before a match (U+E000, private use: never meaningful in articles).
    public static let openMarker = "\u{E000}"
    /// The character FTS5 puts after a match (U+E001).
    public static let closeMarker = "\u{E001}"
    /// The ellipsis FTS5 puts where a snippet cuts the text (U+2026).
    public static let ellipsis = "\u{2026}"

    private static let open: Unicode.Scalar = "\u{E000}"
    private static let close: Unicode.Scalar = "\u{E001}"

    /// HTML for a snippet: everything escaped (`& < > " '`), then each marker pair made a
    /// `<mark>`…`</mark>`. A close without an open, an open inside a mark, and empty marks are
    /// dropped; a mark left open at the end is closed, so the result is always well formed.
    public static func markedHTML(_ raw: String) -> String {
        var html: [UInt8] = []
        html.reserveCapacity(raw.utf8.count + 32)
        var isOpen = false
        var opensBeforeNext = false
        for scalar in raw.unicodeScalars {
            switch scalar {
            case open:
                if !isOpen {
                    opensBeforeNext = true
                }
            case close:
                if opensBeforeNext {
                    opensBeforeNext = false  // An empty mark shows nothing; leave it out.
                } else if isOpen {
                    html += "</mark>".utf8
                    isOpen = false
                }
            default:
                if opensBeforeNext {
                    html += "<mark>".utf8
                    isOpen = true
                    opensBeforeNext = false
                }
                HTMLSanitizer.appendEscaped(scalar.utf8, to: &html)
            }
        }
        if isOpen {
            html += "</mark>".utf8
        }
        return String(decoding: html, as: UTF8.self)
    }

    /// Plain text for a snippet (JSON without HTML, the command line, `<title>`): markers removed.
    public static func plainText(_ raw: String) -> String {
        var text = String.UnicodeScalarView()
        text.append(contentsOf: raw.unicodeScalars.lazy.filter { $0 != open && $0 != close })
        return String(text)
    }
}

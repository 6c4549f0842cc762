import CaravanCore
import Foundation

/// A library photograph as a page shows it: `<picture>` with WebP and JPEG at every width, the intrinsic size so the
/// layout does not jump, and the browser left to pick the width it needs for `sizes`.
enum ResponsivePicture {
    /// A story column: 42rem at most, less the page's 1rem margins on a phone.
    static let storySizes = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
    /// The newsroom's library grid.
    static let thumbnailSizes = "12rem"

    static func html(_ item: MediaItem, alt: String? = nil, sizes: String, lazy: Bool) -> String {
        let jpegs = item.sizes(.jpeg)
        guard let fallback = item.jpeg(atLeast: 960) else { return "" }
        func srcset(_ variants: [MediaVariant]) -> String {
            variants.map { "\(path(item, $0)) \($0.width)w" }.joined(separator: ", ")
        }
        let text = alt.flatMap { $0.isEmpty ? nil : $0 } ?? item.alt
        var html = "<picture>"
        let webps = item.sizes(.webp)
        if !webps.isEmpty {
            html += "<source type=\"image/webp\" srcset=\"\(attribute(srcset(webps)))\" sizes=\"\(attribute(sizes))\">"
        }
        html += "<img src=\"\(attribute(path(item, fallback)))\" srcset=\"\(attribute(srcset(jpegs)))\""
        html += " sizes=\"\(attribute(sizes))\" width=\"\(item.width)\" height=\"\(item.height)\" alt=\"\(attribute(text))\""
        html += lazy ? " loading=\"lazy\" decoding=\"async\"" : " fetchpriority=\"high\""
        html += "></picture>"
        return html
    }

    static func path(_ item: MediaItem, _ variant: MediaVariant) -> String {
        SiteRoute.mediaFile(file: item.file, name: variant.name).path
    }

    /// The file hashes a story's text points at with this site's own addresses (`/media/<hash>/…`, not another
    /// site's `https://…/media/…`), each once, in order.
    static func referencedFiles(in text: String) -> [String] {
        var files: [String] = []
        var rest = text[...]
        while let found = rest.range(of: "/media/") {
            let after = rest[found.upperBound...]
            let hash = after.prefix { $0.isASCII && $0.isHexDigit }
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            let ownAddress = before.map { "(\"'= \n\t".contains($0) } ?? true
            if ownAddress, after.dropFirst(hash.count).first == "/", MediaNaming.isFileHash(hash), !files.contains(String(hash)) {
                files.append(String(hash))
            }
            rest = after
        }
        return files
    }

    /// The body's `<img>` elements that show a library photograph, as `<picture>` elements at every width; any
    /// other image is left as it is. The body is the sanitiser's output, so its `img` tags have a known shape.
    static func body(_ html: String, items: [String: MediaItem]) -> String {
        guard !items.isEmpty, html.contains("<img") else { return html }
        var result = ""
        var rest = html[...]
        while let start = rest.range(of: "<img ") {
            guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
            let tag = rest[start.lowerBound...end]
            result += rest[..<start.lowerBound]
            if let src = attributeValue("src", in: tag), let hash = referencedFiles(in: src).first, let item = items[hash] {
                result += Self.html(item, alt: attributeValue("alt", in: tag), sizes: storySizes, lazy: true)
            } else {
                result += tag
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// A double-quoted attribute's value, unescaped as the sanitiser escaped it.
    static func attributeValue(_ name: String, in tag: Substring) -> String? {
        guard let found = tag.range(of: " \(name)=\"") else { return nil }
        let value = tag[found.upperBound...].prefix { $0 != "\"" }
        return String(value).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    private static func attribute(_ text: String) -> String { HTMLSanitizer.escapeAttribute(text) }
}

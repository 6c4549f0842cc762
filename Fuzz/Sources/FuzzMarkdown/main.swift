import CaravanCore
import FuzzDriver

private let allowedAttributes: Set<String> = ["href", "title", "src", "alt", "width", "height", "align", "start", "class", "rel"]

// A story body: rendered and sanitised, the result never holds a script or frame, an attribute off the allow-list, or
// a javascript: link. Read as bytes, as a browser tokenises it: a `>` followed by a combining mark still ends a tag.
runFuzzer { bytes in
    let html = Array(ArticleBody.html(fromMarkdown: String(decoding: bytes, as: UTF8.self)).lowercased().utf8)
    var index = 0
    while index < html.count {
        guard html[index] == UInt8(ascii: "<") else {
            index += 1
            continue
        }
        var end = index
        while end < html.count, html[end] != UInt8(ascii: ">") { end += 1 }
        let tag = String(decoding: html[index..<end], as: UTF8.self)
        precondition(!tag.hasPrefix("<script") && !tag.hasPrefix("<iframe") && !tag.hasPrefix("<svg"), "unsafe tag \(tag)")
        // Outside the quoted values, every `name=` is an allowed attribute.
        for (part, segment) in tag.split(separator: "\"", omittingEmptySubsequences: false).enumerated() where part % 2 == 0 {
            for word in segment.split(separator: " ").dropFirst(part == 0 ? 1 : 0) where word.hasSuffix("=") {
                precondition(allowedAttributes.contains(String(word.dropLast())), "attribute \(word) in \(tag)")
            }
        }
        precondition(!tag.contains("href=\"javascript:") && !tag.contains("src=\"javascript:"), "script link in \(tag)")
        index = end
    }
}

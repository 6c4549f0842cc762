import CaravanCore
import Foundation
import Testing

@testable import CaravanWeb

@Suite("Photographs in a page's markup")
struct ResponsivePictureTests {
    static let item = MediaItem(
        id: "abcabcabcabc", file: "0123456789abcdef01234567", alt: "Library \"alt\"", caption: "", credit: "", width: 1000,
        height: 500, uploaded: Date(timeIntervalSince1970: 0),
        variants: [320, 640, 1000].flatMap { width in
            [MediaFormat.webp, .jpeg].map {
                MediaVariant(name: MediaNaming.name(width: width, format: $0), format: $0, width: width, height: width / 2, length: 10)
            }
        } + [MediaVariant(name: "original.jpg", format: .jpeg, width: 1000, height: 500, length: 99)])

    @Test("a picture offers every width in WebP and JPEG with its size and escaped alt text")
    func picture() {
        let html = ResponsivePicture.html(Self.item, sizes: "100vw", lazy: true)
        let base = "/media/0123456789abcdef01234567/"
        #expect(
            html == "<picture><source type=\"image/webp\" srcset=\"\(base)320.webp 320w, \(base)640.webp 640w, \(base)1000.webp 1000w\" sizes=\"100vw\">"
                + "<img src=\"\(base)1000.jpg\" srcset=\"\(base)320.jpg 320w, \(base)640.jpg 640w, \(base)1000.jpg 1000w\" sizes=\"100vw\""
                + " width=\"1000\" height=\"500\" alt=\"Library &quot;alt&quot;\" loading=\"lazy\" decoding=\"async\"></picture>")
    }

    @Test(
        "the files a text points at, once each",
        arguments: [
            ("![a](/media/0123456789abcdef01234567/640.jpg) and /media/0123456789abcdef01234567/320.webp", ["0123456789abcdef01234567"]),
            ("/media/abc/640.jpg /media/0123456789ABCDEF01234567/640.jpg /media/0123456789abcdef01234567", []),
            ("https://example.org/media/fedcba9876543210fedcba98/1.jpg", []),
            ("<img src=\"/media/fedcba9876543210fedcba98/1.jpg\"> and ![x](/media/0123456789abcdef01234567/2.jpg)",
             ["fedcba9876543210fedcba98", "0123456789abcdef01234567"]),
            ("no media here", []),
        ])
    func referenced(_ text: String, _ files: [String]) {
        #expect(ResponsivePicture.referencedFiles(in: text) == files)
    }

    @Test("a body's library image becomes a lazy picture with its own alt; other images are left alone")
    func body() {
        let html = "<p>Before</p>\n<p><img src=\"/media/0123456789abcdef01234567/1000.jpg\" alt=\"Body &amp; alt\" /></p>\n"
            + "<p><img src=\"https://example.org/x.jpg\" alt=\"elsewhere\" /></p><p><img src=\"/media/ffffffffffffffffffffffff/1.jpg\" alt=\"gone\" /></p>"
        let rewritten = ResponsivePicture.body(html, items: [Self.item.file: Self.item])
        #expect(rewritten.hasPrefix("<p>Before</p>\n<p><picture><source type=\"image/webp\""))
        #expect(rewritten.contains("alt=\"Body &amp; alt\" loading=\"lazy\""))
        #expect(rewritten.contains("<img src=\"https://example.org/x.jpg\" alt=\"elsewhere\" />"))
        #expect(rewritten.contains("<img src=\"/media/ffffffffffffffffffffffff/1.jpg\" alt=\"gone\" />"), "an unknown photograph is left as written")
        #expect(rewritten.hasSuffix("</p>"))
    }

    @Test(
        "a Range header as the file's bytes",
        arguments: [
            ("bytes=0-99", ByteRange.part(0..<100)), ("bytes=100-", .part(100..<1000)), ("bytes=-10", .part(990..<1000)),
            ("bytes=990-5000", .part(990..<1000)), ("bytes=1000-", .unsatisfiable), ("bytes=-0", .unsatisfiable),
            ("bytes=5-1", .whole), ("bytes=0-1,5-6", .whole), ("items=0-1", .whole), ("bytes=a-b", .whole), ("bytes=-", .whole),
            ("bytes=-5000", .part(0..<1000)), ("bytes=0-9223372036854775807", .part(0..<1000)),
            ("bytes=0-99999999999999999999999", .part(0..<1000)), ("bytes=99999999999999999999999-", .unsatisfiable),
            ("bytes=+5-9", .whole),
        ])
    func ranges(_ header: String, _ expected: ByteRange) {
        #expect(ByteRange.parse(header, length: 1000) == expected)
    }
}

import CaravanCore
import Testing

@Suite("The media library's rules")
struct MediaRulesTests {
    @Test(
        "widths: the set's narrower ones, plus the picture's own when it is narrower than the widest",
        arguments: [
            (4000, [320, 640, 960, 1200, 1920]), (1920, [320, 640, 960, 1200, 1920]), (1921, [320, 640, 960, 1200, 1920]),
            (1000, [320, 640, 960, 1000]), (640, [320, 640]), (321, [320, 321]), (320, [320]), (200, [200]), (1, [1]),
        ])
    func widths(_ width: Int, _ expected: [Int]) {
        #expect(MediaRules().variantWidths(forWidth: width) == expected)
    }

    @Test(
        "a file is known by its first bytes, whatever its name",
        arguments: [
            ([0xFF, 0xD8, 0xFF, 0xE0], MediaFormat.jpeg), ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0], .png),
            (Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8), .webp),
        ])
    func known(_ bytes: [UInt8], _ format: MediaFormat) throws {
        #expect(try ImageSniffer.format(of: bytes).get() == format)
    }

    @Test(
        "anything else is refused with a sentence",
        arguments: [
            ("", "empty"), ("GIF89a....", "GIF"), ("<?xml version=\"1.0\"?><svg/>", "SVG"), ("  <svg onload=x>", "SVG"),
            ("<!doctype html><p>", "web page"), ("%PDF-1.7", "PDF"), ("\u{0}\u{0}\u{0}\u{1C}ftypheic", "HEIC or AVIF"),
            ("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt ", "not a JPEG, PNG or WebP"), ("\u{FF}\u{D8}", "not a JPEG"),
        ])
    func refused(_ text: String, _ phrase: String) {
        let bytes: [UInt8] = text == "\u{FF}\u{D8}" ? [0xFF, 0xD8] : Array(text.utf8)
        guard case .failure(let problem) = ImageSniffer.format(of: bytes) else {
            Issue.record("\(text) was taken")
            return
        }
        #expect(problem.message.contains(phrase), "\(problem.message)")
    }

    @Test(
        "a file's name is original.EXT or WIDTH.EXT in a format the library serves",
        arguments: [
            ("original.jpg", MediaFormat.jpeg), ("640.webp", .webp), ("1920.jpg", .jpeg), ("original.png", .png),
            ("640.gif", nil), ("640", nil), ("-1.jpg", nil), ("..jpg", nil), ("abc.jpg", nil), ("123456.jpg", nil),
            ("original.jpg.exe", nil), (".jpg", nil),
        ])
    func names(_ name: String, _ format: MediaFormat?) {
        #expect(MediaNaming.format(ofName: name[...]) == format)
    }

    @Test(arguments: [("0123456789abcdef01234567", true), ("0123456789ABCDEF01234567", false), ("0123", false), ("../etc/passwd", false)])
    func hashes(_ text: String, _ valid: Bool) {
        #expect(MediaNaming.isFileHash(text[...]) == valid)
    }
}

import CaravanCore
import CaravanImport
import CaravanTestSupport
import Foundation
import NIOCore
import Testing

@testable import CaravanMedia
@testable import CaravanWeb

/// Every parser this round added, fed what an attacker or a broken export sends: none may crash, hang or answer
/// with something out of range. Seeded, so a failure names a case anyone can replay.
@Suite("Hostile input to the media and WordPress parsers")
struct HostileMediaAndImportInputTests {
    static let fragments = [
        "[", "]", "[/", "[caption", "[caption]", "[/caption]", "[gallery ids=\"", "\"", "'", "<img", "<img src=\"", ">",
        "<!--", "-->", "<!-- wp:", "\n", "\n\n", "\r", "%", "%zz", "/", "?", "=", "&", "p=", "/page/", "-300x200", ".jpg",
        "\u{0}", "é", "выборы", "🙂", "[embed]", "javascript:", "https://x.example/", "[youtube ", "[video src=",
    ] + HostileQueries.all + HostileQueries.controls + HostileQueries.scripts

    static func text(_ random: inout SeededGenerator) -> String {
        (0..<Int.random(in: 0...24, using: &random)).map { _ in fragments.randomElement(using: &random)! }.joined()
    }

    @Test(arguments: 0..<4) func wordPressContentAndAddresses(_ seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        for _ in 0..<2_000 {
            let content = Self.text(&random)
            let cleaned = WordPressContent.clean(content)
            // Comments do not nest, so `<!-- x <!-- wp:y -->` is one comment of the author's and stays (the sanitiser
            // drops it); what matters here is an answer, in time, no larger than the shortcodes' markup allows.
            #expect(cleaned.html.utf8.count <= content.utf8.count * 4 + 100, "\(content.prefix(200))")
            let key = OldAddress.key(path: "/" + Self.text(&random), query: Self.text(&random))
            #expect(key.utf8.first == UInt8(ascii: "/"), "\(key.prefix(200))")
            _ = OldAddress.paged(key)
            #expect(OldAddress.unsized(key).count <= key.count)
            _ = OldAddress.key(link: Self.text(&random))
        }
    }

    @Test(arguments: 0..<4) func rangesSniffingWebPAndMultipart(_ seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let bytes = (0..<600).map { _ in UInt8.random(in: 0...255, using: &random) }
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...5_000, using: &random)
            let header = "bytes=" + Self.text(&random).prefix(20) + ["-", "", "-9223372036854775807", "9999999999999999999999-"].randomElement(using: &random)!
            if case .part(let range) = ByteRange.parse(header, length: length) {
                #expect(range.lowerBound >= 0 && range.upperBound <= length && !range.isEmpty, "\(header) of \(length)")
            }
            let cut = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
            _ = ImageSniffer.format(of: cut)
            // A RIFF header on noise: the filter must either refuse it or give a file that says its own size.
            let riff = Array("RIFF".utf8) + [UInt8.random(in: 0...255, using: &random), 0, 0, 0] + Array("WEBP".utf8) + cut
            if let clean = WebPChunks.withoutMetadata(riff) {
                let low = Int(clean[4]) | Int(clean[5]) << 8
                let size = low | Int(clean[6]) << 16 | Int(clean[7]) << 24
                #expect(size == clean.count - 8)
            }
            let boundary = "b" + String(UInt64.random(in: 0...UInt64.max, using: &random), radix: 36)
            let body = "--\(boundary)\r\nContent-Disposition: form-data; " + Self.text(&random) + "\r\n\r\n" + Self.text(&random)
                + (Bool.random(using: &random) ? "\r\n--\(boundary)--\r\n" : "")
            _ = try? FormFields.multipart(ByteBuffer(string: body), boundary: boundary)
        }
    }

    @Test("a WordPress export cut at any point, or with bytes flipped, is refused or imported, never a crash or a hang")
    func damagedExports() async throws {
        let fixture = [UInt8](try Data(contentsOf: Bundle.module.resourceURL!.appendingPathComponent("Fixtures/wxr/site.xml")))
        var random = SeededGenerator(seed: 28)
        for round in 0..<40 {
            var bytes = fixture
            if round % 2 == 0 {
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
            } else {
                for _ in 0..<8 { bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random) }
            }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("damaged-\(round)-\(UUID().uuidString).xml")
            try Data(bytes).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            var items = 0
            do {
                for try await event in WXRReader(path: file.path).events() { if case .item = event { items += 1 } }
            } catch let error as WXRError {
                #expect(error.description.contains(file.path), "the error names the file: \(error)")
            }
            #expect(items <= 15)
        }
    }
}

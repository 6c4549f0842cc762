import CaravanCore
@testable import CaravanMedia
import CaravanTestSupport
import Foundation
import Testing

@Suite("Processing an upload with libvips")
struct ImageProcessorTests {
    let processor = ImageProcessor()

    @Test("a phone's JPEG is turned upright, made at each width in WebP and JPEG, and loses every tag it carried")
    func cameraJPEG() async throws {
        // Stored 1000 × 700 on its side; upright it is 700 wide and 1000 high.
        let upload = try TestImages.cameraJPEG(width: 1000, height: 700, orientation: 6)
        let before = try TestImages.tags(of: upload)
        #expect(before.keys.contains { $0.contains("GPSLatitude") }, "the test file must carry GPS to prove anything")
        #expect(before["EXIF:Orientation"] == "6")

        let processed = try await processor.process(upload)
        #expect((processed.width, processed.height) == (700, 1000))
        #expect(!processed.hasAlpha)
        #expect(processed.files.map(\.name) == ["original.jpg", "640.webp", "640.jpg", "320.webp", "320.jpg", "700.webp", "700.jpg"].sortedLikeProcessor())
        for file in processed.files {
            let header = try TestImages.header(of: file.bytes)
            #expect((header.width, header.height) == (file.width, file.height), "\(file.name)")
            #expect(file.width <= 700, "\(file.name) is wider than the original")
            #expect(try ImageSniffer.format(of: file.bytes).get() == file.format, "\(file.name)")
            let tags = try TestImages.tags(of: file.bytes)
            let leaked = tags.keys.filter {
                $0.hasPrefix("EXIF:") || $0.hasPrefix("XMP") || $0.hasPrefix("IPTC:") || $0.contains("GPS")
                    || $0.contains("Orientation") || $0.hasPrefix("MakerNotes")
            }
            #expect(leaked.isEmpty, "\(file.name) still carries \(leaked.sorted())")
            #expect(!tags.values.contains { $0.contains("Photographer Name") || $0.contains("TestCam") }, "\(file.name)")
        }
    }

    @Test("a PNG with transparency keeps it in WebP and the original, and the JPEG is flattened on white")
    func transparentPNG() async throws {
        let processed = try await processor.process(try TestImages.gradient(width: 800, height: 400, format: "png", transparent: true))
        #expect(processed.hasAlpha)
        let byName = Dictionary(uniqueKeysWithValues: processed.files.map { ($0.name, $0) })
        #expect(Set(byName.keys) == ["original.png", "320.webp", "320.jpg", "640.webp", "640.jpg", "800.webp", "800.jpg"])
        #expect(try TestImages.header(of: byName["original.png"]!.bytes).bands == 4)
        #expect(try TestImages.header(of: byName["640.webp"]!.bytes).bands == 4)
        #expect(try TestImages.header(of: byName["640.jpg"]!.bytes).bands == 3)
    }

    @Test("a WebP upload is taken like any other, and nothing is made wider than it")
    func webp() async throws {
        let processed = try await processor.process(try TestImages.gradient(width: 2500, height: 1000, format: "webp"))
        #expect(processed.files.filter { $0.format == .webp && $0.name != "original.webp" }.map(\.width).sorted() == [320, 640, 960, 1200, 1920])
        #expect(processed.files.first?.name == "original.jpg")
        #expect(processed.files.allSatisfy { $0.width <= 2500 })
    }

    @Test("a Display P3 photograph is converted to sRGB through its profile before the profile is removed")
    func colourProfile() async throws {
        let upload = try TestImages.displayP3Red()
        #expect(try TestImages.pixel(of: upload, x: 10, y: 10)[0] < 240, "the test file must hold P3 values to prove anything")
        let processed = try await processor.process(upload)
        for file in processed.files {
            let red = try TestImages.pixel(of: file.bytes, x: 10, y: 10)
            #expect(red.count >= 3 && red[0] >= 248 && red[1] <= 12 && red[2] <= 12, "\(file.name) reads \(red)")
            #expect(try TestImages.tags(of: file.bytes).keys.allSatisfy { !$0.hasPrefix("ICC") }, "\(file.name)")
        }
    }

    @Test("the same bytes give the same fingerprint; another picture another")
    func fingerprint() async throws {
        let first = try TestImages.gradient(width: 400, height: 300, format: "jpg")
        let again = try await processor.process(first)
        #expect(try await processor.process(first).fingerprint == again.fingerprint)
        #expect(try await processor.process(try TestImages.gradient(width: 401, height: 300, format: "jpg")).fingerprint != again.fingerprint)
        #expect(again.file.count == 24 && MediaNaming.isFileHash(again.file[...]))
    }

    @Test(
        "bad files are refused with a sentence that says what is wrong",
        arguments: [
            ("text named .jpg", Array("hello, this is not a photograph".utf8), "not a JPEG, PNG or WebP"),
            ("an SVG with a script", Array("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".utf8), "SVG"),
            ("an HTML page", Array("<!DOCTYPE html><html><body>hi</body></html>".utf8), "web page"),
            ("an empty file", [], "empty"),
            ("a PNG claiming 50,000 × 50,000 pixels", TestImages.pngClaiming(width: 50_000, height: 50_000), "50000 × 50000 pixels"),
        ])
    func refused(_ name: String, _ bytes: [UInt8], _ phrase: String) async throws {
        await #expect {
            _ = try await processor.process(bytes)
        } throws: { error in
            guard let problem = error as? MediaProblem else { return false }
            return problem.message.contains(phrase)
        }
    }

    @Test("a JPEG cut off halfway is refused as damaged, not half stored")
    func truncated() async throws {
        let whole = try TestImages.gradient(width: 1200, height: 800, format: "jpg")
        let half = Array(whole.prefix(whole.count / 2))
        await #expect {
            _ = try await processor.process(half)
        } throws: { error in
            (error as? MediaProblem)?.message.contains("damaged or cut short") == true
        }
    }

    @Test("a file over the size limit is refused before it is read")
    func tooLarge() async throws {
        let small = ImageProcessor(rules: MediaRules(maximumBytes: 2_000))
        let bytes = try TestImages.gradient(width: 600, height: 400, format: "png")
        #expect(bytes.count > 2_000)
        await #expect {
            _ = try await small.process(bytes)
        } throws: { error in
            (error as? MediaProblem)?.message.contains("larger than") == true
        }
    }
}

extension Array where Element == String {
    /// The processor's order: the original, then widest first, WebP before JPEG at each width.
    fileprivate func sortedLikeProcessor() -> [String] {
        let original = filter { $0.hasPrefix("original") }
        let rest = filter { !$0.hasPrefix("original") }.sorted { a, b in
            let (wa, wb) = (Int(a.prefix { $0 != "." })!, Int(b.prefix { $0 != "." })!)
            return wa != wb ? wa > wb : a.hasSuffix("webp")
        }
        return original + rest
    }
}

@Suite("WebP's chunks")
struct WebPChunksTests {
    private func chunk(_ name: String, _ payload: [UInt8]) -> [UInt8] {
        let size = UInt32(payload.count)
        return Array(name.utf8) + [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24)]
            + payload + (payload.count % 2 == 1 ? [0] : [])
    }

    private func riff(_ chunks: [UInt8]) -> [UInt8] {
        let size = UInt32(chunks.count + 4)
        return Array("RIFF".utf8) + [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24)]
            + Array("WEBP".utf8) + chunks
    }

    @Test("EXIF, XMP and ICC chunks go, their flags are cleared, alpha stays, and the RIFF size is right")
    func strips() throws {
        let header = chunk("VP8X", [0x10 | 0x20 | 0x08 | 0x04, 0, 0, 0, 9, 0, 0, 9, 0, 0])
        let image = chunk("VP8L", [1, 2, 3])
        let file = riff(header + chunk("ICCP", [7, 7]) + image + chunk("EXIF", Array("GPS here".utf8)) + chunk("XMP ", [1]))
        let clean = try #require(WebPChunks.withoutMetadata(file))
        #expect(clean == riff(chunk("VP8X", [0x10, 0, 0, 0, 9, 0, 0, 9, 0, 0]) + image))
        #expect(!String(decoding: clean, as: UTF8.self).contains("GPS"))
    }

    @Test("bytes that are not a WebP, or cut inside a chunk, are not passed on", arguments: [
        Array("not a webp at all".utf8), Array("RIFF\u{10}\0\0\0WEBPVP8L\u{40}\0\0\0abc".utf8),
    ])
    func refuses(_ bytes: [UInt8]) {
        #expect(WebPChunks.withoutMetadata(bytes) == nil)
    }
}

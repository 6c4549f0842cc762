/// Why an upload is refused, in a sentence for the person who sent it.
public struct MediaProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Tells what a file is from its first bytes, whatever its name says.
public enum ImageSniffer {
    public static func format(of bytes: some Collection<UInt8>) -> Result<MediaFormat, MediaProblem> {
        let head = Array(bytes.prefix(64))
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + prefix.count && Array(head[offset..<offset + prefix.count]) == prefix
        }
        if head.isEmpty { return .failure(MediaProblem("The file is empty.")) }
        if starts([0xFF, 0xD8, 0xFF]) { return .success(.jpeg) }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .success(.png) }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .success(.webp) }
        if starts(Array("GIF8".utf8)) {
            return .failure(MediaProblem("The file is a GIF; upload photographs as JPEG, PNG or WebP."))
        }
        let text = String(decoding: head, as: UTF8.self).lowercased()
        if text.contains("<svg") || text.hasPrefix("<?xml") {
            return .failure(
                MediaProblem("The file is an SVG drawing, which can carry scripts; export it as PNG and upload that."))
        }
        if text.contains("<html") || text.contains("<!doctype") {
            return .failure(MediaProblem("The file is a web page, not an image."))
        }
        if starts(Array("%PDF".utf8)) { return .failure(MediaProblem("The file is a PDF, not an image.")) }
        if starts([0x00, 0x00, 0x00]) && starts(Array("ftyp".utf8), at: 4) {
            return .failure(MediaProblem("The file is HEIC or AVIF, which the library does not take; export it as JPEG."))
        }
        return .failure(MediaProblem("The file is not a JPEG, PNG or WebP image, whatever its name says."))
    }
}

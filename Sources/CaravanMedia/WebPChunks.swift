/// WebP's RIFF container, chunk by chunk: libvips 8.14's WebP saver writes an EXIF chunk even when told to strip
/// metadata, so every WebP is passed through `withoutMetadata` before it is stored.
enum WebPChunks {
    /// The file without its EXIF, XMP and ICC chunks, the extended header's flags for them cleared and the RIFF size
    /// made right; nil when the bytes are not a well-formed WebP.
    static func withoutMetadata(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WEBP".utf8) else {
            return nil
        }
        var kept: [UInt8] = []
        var at = 12
        while at < bytes.count {
            guard at + 8 <= bytes.count else { return nil }
            let name = String(decoding: bytes[at..<at + 4], as: UTF8.self)
            let size = Int(bytes[at + 4]) | Int(bytes[at + 5]) << 8 | Int(bytes[at + 6]) << 16 | Int(bytes[at + 7]) << 24
            // Chunks are padded to an even length.
            let end = at + 8 + size + (size & 1)
            guard end <= bytes.count || (end == bytes.count + 1 && size & 1 == 1) else { return nil }
            let chunk = bytes[at..<min(end, bytes.count)]
            switch name {
            case "EXIF", "XMP ", "ICCP": break
            case "VP8X":
                var header = Array(chunk)
                // Flags: ICC 0x20, EXIF 0x08, XMP 0x04; alpha and animation stay.
                if header.count > 8 { header[8] &= ~UInt8(0x20 | 0x08 | 0x04) }
                kept += header
            default: kept += chunk
            }
            at = end
        }
        let size = UInt32(kept.count + 4)
        return Array("RIFF".utf8) + [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24)]
            + Array("WEBP".utf8) + kept
    }
}

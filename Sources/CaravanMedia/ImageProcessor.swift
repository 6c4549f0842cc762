import CVips
import CaravanCore
import Crypto
import Foundation

/// A photograph checked, turned upright, stripped of every metadata block, and written at full size and at each width.
public struct ProcessedImage: Sendable {
    /// The SHA-256 of the uploaded bytes, in hexadecimal: the same file uploaded twice is one photograph.
    public let fingerprint: String
    public let width: Int
    public let height: Int
    public let hasAlpha: Bool
    /// The cleaned original first, then each width in WebP and in JPEG.
    public let files: [MediaFile]

    /// The hash the files are addressed by.
    public var file: String { String(fingerprint.prefix(24)) }
}

/// Processes uploads with libvips, one at a time on a thread of its own, so that decoding never holds up the
/// threads that serve pages and at most one picture's pixels are in memory.
public final class ImageProcessor: Sendable {
    public let rules: MediaRules
    private let queue = DispatchQueue(label: "caravan.media", qos: .utility)

    private static let started: Bool = caravan_vips_start() == 0

    public init(rules: MediaRules = MediaRules()) {
        self.rules = rules
    }

    /// Checks and processes an upload; throws a `MediaProblem` that says what is wrong with the file.
    public func process(_ bytes: [UInt8]) async throws -> ProcessedImage {
        let rules = rules
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try Self.process(bytes, rules: rules) })
            }
        }
    }

    /// The same work on the calling thread (the benchmark times it so).
    public static func process(_ bytes: [UInt8], rules: MediaRules) throws -> ProcessedImage {
        guard started else { throw MediaProblem("The image library (libvips) could not start on this server.") }
        if bytes.count > rules.maximumBytes {
            throw MediaProblem(
                "The file is \(megabytes(bytes.count)), larger than the \(megabytes(rules.maximumBytes)) the library takes.")
        }
        let format = try ImageSniffer.format(of: bytes).get()
        let fingerprint = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        return try bytes.withUnsafeBytes { buffer in
            guard let loader = caravan_vips_loader(buffer.baseAddress, buffer.count).map({ String(cString: $0) }),
                loader.lowercased().hasPrefix(format.loaderPrefix)
            else {
                caravan_vips_clear_error()
                throw MediaProblem("The file starts like a \(format.name) but cannot be read as one.")
            }
            let opened = try Image(caravan_vips_open(buffer.baseAddress, buffer.count), doing: "read the \(format.name)")
            let storedWidth = Int(vips_image_get_width(opened.pointer))
            let storedHeight = Int(vips_image_get_height(opened.pointer))
            if storedWidth * storedHeight > rules.maximumPixels {
                throw MediaProblem(
                    "The picture claims \(storedWidth) × \(storedHeight) pixels, more than the \(rules.maximumPixels / 1_000_000) megapixels the library takes.")
            }
            // The full-size copy streams from the decoder to the encoder, a band of rows at a time; only a picture
            // whose camera was turned is decoded whole, since turning it needs every row.
            let turned = (2...8).contains(caravan_vips_orientation(opened.pointer))
            let source = turned ? try Image(caravan_vips_open_whole(buffer.baseAddress, buffer.count), doing: "read the \(format.name)") : opened
            let upright = try source.apply("turn the picture upright") { caravan_vips_autorot($0, $1) }
            let colour = try upright.apply("convert the colours to sRGB") { caravan_vips_srgb($0, $1) }
                .apply("remove the metadata") { caravan_vips_without_metadata($0, $1) }
            let hasAlpha = vips_image_hasalpha(colour.pointer) != 0
            let width = Int(vips_image_get_width(colour.pointer))
            let height = Int(vips_image_get_height(colour.pointer))

            var files: [MediaFile] = []
            let originalFormat: MediaFormat = hasAlpha ? .png : .jpeg
            files.append(
                MediaFile(
                    name: MediaNaming.originalName(originalFormat), format: originalFormat, width: width, height: height,
                    bytes: try hasAlpha ? colour.png() : colour.jpeg(quality: 90, progressive: false)))
            // Widest first, each made from the one before: a cascade costs less than resizing the original each time.
            let targets = rules.variantWidths(forWidth: width).reversed()
            guard let widest = targets.first else { throw MediaProblem("The picture has no pixels.") }
            var thumbnail: UnsafeMutablePointer<VipsImage>?
            guard caravan_vips_thumbnail(buffer.baseAddress, buffer.count, &thumbnail, Int32(widest)) == 0 else {
                caravan_vips_release(thumbnail)
                throw Image.failure("scale the picture down")
            }
            let scaled = try Image(thumbnail, doing: "scale the picture down")
            var previous = try scaled.apply("convert the colours to sRGB") { caravan_vips_srgb($0, $1) }
                .apply("remove the metadata") { caravan_vips_without_metadata($0, $1) }
                .inMemory("scale the picture down")
            for target in targets {
                let sized: Image
                if target >= Int(vips_image_get_width(previous.pointer)) {
                    sized = previous
                } else {
                    let scale = Double(target) / Double(vips_image_get_width(previous.pointer))
                    let resized = try previous.apply("resize the picture") { caravan_vips_resize($0, $1, scale) }
                    sized = try resized.inMemory("resize the picture")
                }
                let sizedWidth = Int(vips_image_get_width(sized.pointer))
                let sizedHeight = Int(vips_image_get_height(sized.pointer))
                var opaque = sized
                if hasAlpha { opaque = try sized.apply("flatten the transparency") { caravan_vips_flatten_white($0, $1) } }
                files.append(
                    MediaFile(
                        name: MediaNaming.name(width: target, format: .webp), format: .webp, width: sizedWidth,
                        height: sizedHeight, bytes: try sized.webp(quality: 78)))
                files.append(
                    MediaFile(
                        name: MediaNaming.name(width: target, format: .jpeg), format: .jpeg, width: sizedWidth,
                        height: sizedHeight, bytes: try opaque.jpeg(quality: 80, progressive: true)))
                previous = sized
            }
            return ProcessedImage(fingerprint: fingerprint, width: width, height: height, hasAlpha: hasAlpha, files: files)
        }
    }

    private static func megabytes(_ count: Int) -> String {
        count >= 1 << 20 ? "\(count >> 20) MB" : "\(max(1, count >> 10)) kB"
    }
}

extension MediaFormat {
    /// The start of the class name of libvips' loader for the format (`VipsForeignLoadJpegBuffer`), lower-cased.
    fileprivate var loaderPrefix: String {
        switch self {
        case .jpeg: "vipsforeignloadjpeg"
        case .png: "vipsforeignloadpng"
        case .webp: "vipsforeignloadwebp"
        }
    }

    fileprivate var name: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .webp: "WebP"
        }
    }
}

/// A libvips image owned by Swift: released when the last reference goes.
private final class Image {
    let pointer: UnsafeMutablePointer<VipsImage>

    init(_ pointer: UnsafeMutablePointer<VipsImage>?, doing step: String) throws {
        guard let pointer else { throw Image.failure(step) }
        self.pointer = pointer
    }

    deinit { caravan_vips_release(pointer) }

    func apply(_ step: String, _ operation: (UnsafeMutablePointer<VipsImage>, UnsafeMutablePointer<UnsafeMutablePointer<VipsImage>?>) -> Int32) throws -> Image {
        var out: UnsafeMutablePointer<VipsImage>?
        guard operation(pointer, &out) == 0 else {
            caravan_vips_release(out)
            throw Image.failure(step)
        }
        return try Image(out, doing: step)
    }

    /// The pixels computed once and kept, for an image several files are written from.
    func inMemory(_ step: String) throws -> Image {
        try Image(vips_image_copy_memory(pointer), doing: step)
    }

    func jpeg(quality: Int32, progressive: Bool) throws -> [UInt8] {
        try save("write a JPEG") { caravan_vips_jpeg(pointer, $0, $1, quality, progressive ? 1 : 0) }
    }

    func webp(quality: Int32) throws -> [UInt8] {
        let written = try save("write a WebP") { caravan_vips_webp(pointer, $0, $1, quality) }
        guard let clean = WebPChunks.withoutMetadata(written) else { throw MediaProblem("libvips wrote a WebP that cannot be read back.") }
        return clean
    }

    func png() throws -> [UInt8] {
        try save("write a PNG") { caravan_vips_png(pointer, $0, $1) }
    }

    private func save(_ step: String, _ body: (UnsafeMutablePointer<UnsafeMutableRawPointer?>, UnsafeMutablePointer<Int>) -> Int32) throws -> [UInt8] {
        var bytes: UnsafeMutableRawPointer?
        var length = 0
        guard body(&bytes, &length) == 0, let bytes else { throw Image.failure(step) }
        defer { caravan_vips_free(bytes) }
        return Array(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    /// A damaged or cut-short file surfaces here, when its pixels are first decoded.
    static func failure(_ step: String) -> MediaProblem {
        let detail = caravan_vips_error().map { String(cString: $0) } ?? ""
        caravan_vips_clear_error()
        let reason = detail.split(separator: "\n").first.map { ": \($0.trimmingCharacters(in: .whitespaces))" } ?? ""
        // Decoding streams into the writers, so a damaged file often surfaces while a file is written: the step is
        // what was under way, the reason libvips' own words.
        return MediaProblem("The file is damaged or cut short; libvips could not read it (while it was to \(step))\(reason).")
    }
}

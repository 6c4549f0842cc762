import Foundation

/// A file format the media library stores and serves.
public enum MediaFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case jpeg, png, webp

    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .webp: "webp"
        }
    }

    public var contentType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        }
    }

    public init?(fileExtension: String) {
        guard let format = Self.allCases.first(where: { $0.fileExtension == fileExtension }) else { return nil }
        self = format
    }
}

/// One stored file of a photograph: its cleaned original, or one width of it in one format.
public struct MediaFile: Sendable, Hashable {
    /// `original.jpg`, `640.webp`: the last part of the file's address.
    public var name: String
    public var format: MediaFormat
    public var width: Int
    public var height: Int
    public var bytes: [UInt8]

    public init(name: String, format: MediaFormat, width: Int, height: Int, bytes: [UInt8]) {
        self.name = name
        self.format = format
        self.width = width
        self.height = height
        self.bytes = bytes
    }

    public var variant: MediaVariant {
        MediaVariant(name: name, format: format, width: width, height: height, length: bytes.count)
    }
}

/// What is known of a stored file without its bytes.
public struct MediaVariant: Sendable, Hashable, Codable {
    public var name: String
    public var format: MediaFormat
    public var width: Int
    public var height: Int
    public var length: Int

    public init(name: String, format: MediaFormat, width: Int, height: Int, length: Int) {
        self.name = name
        self.format = format
        self.width = width
        self.height = height
        self.length = length
    }

    public var isOriginal: Bool { name.hasPrefix(MediaNaming.original) }
}

/// A photograph in the media library.
public struct MediaItem: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    /// The hash its files are addressed by; it changes when the picture is replaced, so old addresses stay immutable.
    public var file: String
    /// Required before a story using the image can be published.
    public var alt: String
    public var caption: String
    public var credit: String
    /// After the camera's orientation is applied.
    public var width: Int
    public var height: Int
    public var uploaded: Date
    public var variants: [MediaVariant]

    public init(
        id: String, file: String, alt: String, caption: String, credit: String, width: Int, height: Int, uploaded: Date,
        variants: [MediaVariant]
    ) {
        self.id = id
        self.file = file
        self.alt = alt
        self.caption = caption
        self.credit = credit
        self.width = width
        self.height = height
        self.uploaded = uploaded
        self.variants = variants
    }

    /// The widths (not the original) in one format, narrowest first.
    public func sizes(_ format: MediaFormat) -> [MediaVariant] {
        variants.filter { !$0.isOriginal && $0.format == format }.sorted { $0.width < $1.width }
    }

    /// The narrowest JPEG at least `width` wide, else the widest: what a feed, `og:image` or a fallback `src` uses.
    public func jpeg(atLeast width: Int) -> MediaVariant? {
        let jpegs = sizes(.jpeg)
        return jpegs.first { $0.width >= width } ?? jpegs.last
    }
}

/// How a photograph's files are named; the address is `/media/<file>/<name>`.
public enum MediaNaming {
    public static let original = "original"

    public static func name(width: Int, format: MediaFormat) -> String { "\(width).\(format.fileExtension)" }
    public static func originalName(_ format: MediaFormat) -> String { "\(original).\(format.fileExtension)" }

    /// A file hash is lower-case hexadecimal; a name is `original.EXT` or `WIDTH.EXT`. Anything else is no file.
    public static func isFileHash(_ text: Substring) -> Bool {
        text.count >= 16 && text.count <= 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    public static func format(ofName name: Substring) -> MediaFormat? {
        guard let dot = name.lastIndex(of: ".") else { return nil }
        let stem = name[..<dot]
        guard stem == original[...] || (!stem.isEmpty && stem.count <= 5 && stem.utf8.allSatisfy { (48...57).contains($0) })
        else { return nil }
        return MediaFormat(fileExtension: String(name[name.index(after: dot)...]))
    }
}

/// What the library asks of every upload, and the widths it makes.
public struct MediaRules: Sendable, Hashable {
    /// The largest file accepted, in bytes.
    public var maximumBytes: Int
    /// Refused from the header, before any pixel is decoded: a small file may claim a vast picture.
    public var maximumPixels: Int
    /// The widths made of every picture, each only when narrower than the picture; 1200 is `og:image`'s.
    public var widths: [Int]

    public static let defaultMaximumBytes = 25 << 20

    public init(maximumBytes: Int = defaultMaximumBytes, maximumPixels: Int = 60_000_000, widths: [Int] = [320, 640, 960, 1200, 1920]) {
        self.maximumBytes = maximumBytes
        self.maximumPixels = maximumPixels
        self.widths = widths.sorted()
    }

    /// The widths of a picture `width` pixels wide: the set's narrower ones, and the picture's own when it is
    /// narrower than the widest of the set, so no variant is ever wider than the original.
    public func variantWidths(forWidth width: Int) -> [Int] {
        var chosen = widths.filter { $0 < width }
        if width <= (widths.last ?? 0) || chosen.isEmpty { chosen.append(width) }
        return chosen
    }
}

import Foundation

/// Pictures made for a test with the command-line tools of libvips (`vips`) and ExifTool (`exiftool`), both from
/// Debian: a real JPEG with a camera's tags, a PNG with transparency, a WebP.
public enum TestImages {
    public struct ToolFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// A colour gradient `width` × `height` in the format the file name's extension says (`.jpg`, `.png`, `.webp`);
    /// `transparent` adds an alpha band, half of it clear.
    public static func gradient(width: Int, height: Int, format: String, transparent: Bool = false) throws -> [UInt8] {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let xy = folder.appendingPathComponent("xy.v").path
        let bands = folder.appendingPathComponent("bands.v").path
        let bytes = folder.appendingPathComponent("bytes.v").path
        let tagged = folder.appendingPathComponent("srgb.v").path
        let out = folder.appendingPathComponent("picture.\(format)").path
        try run("vips", "xyz", xy, "\(width)", "\(height)")
        try run("vips", "bandjoin_const", xy, bands, transparent ? "160 0" : "160")
        try run("vips", "cast", bands, bytes, "uchar")
        try run("vips", "copy", bytes, tagged, "--interpretation", "srgb")
        if transparent {
            // Alpha 0 on the left half, opaque on the right.
            let alpha = folder.appendingPathComponent("alpha.v").path
            let joined = folder.appendingPathComponent("joined.v").path
            try run("vips", "extract_band", tagged, folder.appendingPathComponent("rgb.v").path, "0", "--n", "3")
            try run("vips", "black", alpha, "\(width / 2)", "\(height)")
            let opaque = folder.appendingPathComponent("opaque.v").path
            try run("vips", "linear", alpha, opaque, "1", "255", "--uchar")
            let zero = folder.appendingPathComponent("zero.v").path
            try run("vips", "cast", alpha, zero, "uchar")
            let mask = folder.appendingPathComponent("mask.v").path
            try run("vips", "join", zero, opaque, mask, "horizontal")
            try run("vips", "bandjoin", "\(folder.appendingPathComponent("rgb.v").path) \(mask)", joined)
            try run("vips", "copy", joined, out)
        } else {
            try run("vips", "copy", tagged, out)
        }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
    }

    /// A JPEG carrying what a phone writes: where it was taken (GPS), the camera, and an orientation tag
    /// (6: the camera was turned a quarter clockwise, so the stored pixels lie on their side).
    public static func cameraJPEG(width: Int, height: Int, orientation: Int = 6) throws -> [UInt8] {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("camera.jpg")
        try Data(try gradient(width: width, height: height, format: "jpg")).write(to: file)
        try run(
            "exiftool", "-q", "-overwrite_original", "-n", "-GPSLatitude=42.8746", "-GPSLatitudeRef=N",
            "-GPSLongitude=74.5698", "-GPSLongitudeRef=E", "-Make=TestCam", "-Model=Caravan 1",
            "-Artist=Photographer Name", "-XMP-dc:Creator=Photographer Name", "-IPTC:City=Bishkek",
            "-Orientation=\(orientation)", file.path)
        return [UInt8](try Data(contentsOf: file))
    }

    /// A pure red JPEG stored in Display P3, as a phone writes one: its pixels (about 232, 51, 34) mean sRGB red only
    /// through the embedded colour profile.
    public static func displayP3Red(width: Int = 64, height: Int = 64) throws -> [UInt8] {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let black = folder.appendingPathComponent("black.v").path
        let red = folder.appendingPathComponent("red.v").path
        let tagged = folder.appendingPathComponent("srgb.jpg").path
        let p3 = folder.appendingPathComponent("p3.jpg").path
        try run("vips", "black", black, "\(width)", "\(height)", "--bands", "3")
        try run("vips", "linear", black, red, "1 0 0", "255 0 0", "--uchar")
        try run("vips", "copy", red, tagged + "[Q=100]", "--interpretation", "srgb")
        try run("vips", "icc_transform", tagged, p3 + "[Q=100]", "p3")
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: p3)))
    }

    /// The values of one pixel, as libvips reads them.
    public static func pixel(of bytes: [UInt8], x: Int, y: Int) throws -> [Int] {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("image")
        try Data(bytes).write(to: file)
        return try run("vips", "getpoint", file.path, "\(x)", "\(y)").split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
            .map { Int($0.rounded()) }
    }

    /// What ExifTool reads in a file, as its JSON object (tag name to value), file-system tags left out.
    public static func tags(of bytes: [UInt8]) throws -> [String: String] {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("served")
        try Data(bytes).write(to: file)
        let output = try run("exiftool", "-j", "-G", "-a", "-n", file.path)
        guard let list = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]], let object = list.first
        else { throw ToolFailure(description: "exiftool printed no JSON: \(output)") }
        var tags: [String: String] = [:]
        for (key, value) in object where !key.hasPrefix("File:") && !key.hasPrefix("System:") && !key.hasPrefix("ExifTool:")
            && key != "SourceFile"
        {
            tags[key] = "\(value)"
        }
        return tags
    }

    /// Width, height and bands as libvips reads the file.
    public static func header(of bytes: [UInt8]) throws -> (width: Int, height: Int, bands: Int) {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("image")
        try Data(bytes).write(to: file)
        func field(_ name: String) throws -> Int {
            let text = try run("vipsheader", "-f", name, file.path).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let value = Int(text) else { throw ToolFailure(description: "vipsheader -f \(name): \(text)") }
            return value
        }
        return (try field("width"), try field("height"), try field("bands"))
    }

    /// The start of a PNG that claims `width` × `height` pixels, with a valid header and almost no data: a
    /// decompression bomb's shape.
    public static func pngClaiming(width: UInt32, height: UInt32) -> [UInt8] {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        func chunk(_ type: String, _ data: [UInt8]) {
            let body = Array(type.utf8) + data
            bytes += be(UInt32(data.count)) + body + be(crc32(body))
        }
        chunk("IHDR", be(width) + be(height) + [8, 2, 0, 0, 0])
        chunk("IDAT", [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01])
        chunk("IEND", [])
        return bytes
    }

    private static func be(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caravan-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @discardableResult
    private static func run(_ tool: String, _ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw ToolFailure(description: "cannot run \(tool) (apt-get install libvips-tools libimage-exiftool-perl): \(error)")
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ToolFailure(description: "\(tool) \(arguments.joined(separator: " ")): \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self)
    }
}

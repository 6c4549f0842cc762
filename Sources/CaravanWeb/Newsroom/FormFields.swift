import CaravanCore
import Foundation
import Hummingbird
import MultipartKit

/// A posted form, `application/x-www-form-urlencoded` or `multipart/form-data`, keeping every value of a repeated
/// name (checkboxes repeat), with a multipart form's files apart.
struct FormFields: Sendable {
    let values: [String: [String]]
    /// The files of a multipart form, in the order sent; only parts that arrived whole.
    let uploads: [Upload]

    /// A file posted in a multipart form.
    struct Upload: Sendable {
        let field: String
        let filename: String
        let bytes: [UInt8]
    }

    /// A story's body is long, but not this long.
    static let maximumBytes = 4 << 20

    init(values: [String: [String]], uploads: [Upload] = []) {
        self.values = values
        self.uploads = uploads
    }

    init(body: String) {
        var values: [String: [String]] = [:]
        for (name, value) in FormEncoding.pairs(body[...]) {
            // PHP-style `countries[]` means the same as repeated `countries`.
            values[Self.fieldName(name), default: []].append(value)
        }
        self.values = values
        uploads = []
    }

    /// Reads the body: a multipart form may be as large as `uploadLimit`, any other form `maximumBytes`.
    static func read(_ request: Request, uploadLimit: Int = maximumBytes) async throws -> FormFields {
        let boundary = request.headers[.contentType].flatMap(multipartBoundary)
        let limit = boundary == nil ? maximumBytes : max(uploadLimit, maximumBytes)
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw HTTPError(.contentTooLarge, message: "The form is larger than \(limit >> 20) MB.")
        }
        guard let boundary else { return FormFields(body: String(decoding: buffer.readableBytesView, as: UTF8.self)) }
        return try multipart(buffer, boundary: boundary)
    }

    /// The parts of a multipart body; a part cut off by the end of the body (an interrupted upload) is left out.
    static func multipart(_ buffer: ByteBuffer, boundary: String) throws -> FormFields {
        guard headerNamesAreASCII(Array(buffer.readableBytesView), boundary: boundary) else {
            throw HTTPError(.badRequest, message: "A part of the form has a header whose name is not plain ASCII.")
        }
        let parser = MultipartParser(boundary: boundary)
        var values: [String: [String]] = [:]
        var uploads: [Upload] = []
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        parser.onHeader = { name, value in headers.append((name.lowercased(), value)) }
        parser.onBody = { chunk in body.append(contentsOf: chunk.readableBytesView) }
        parser.onPartComplete = {
            defer { (headers, body) = ([], []) }
            guard let disposition = headers.first(where: { $0.0 == "content-disposition" })?.1 else { return }
            let parameters = dispositionParameters(disposition)
            guard let name = parameters["name"] else { return }
            if let filename = parameters["filename"] {
                // A file input left empty still sends a part, with no name and no bytes.
                if !filename.isEmpty || !body.isEmpty {
                    uploads.append(Upload(field: fieldName(name), filename: filename, bytes: body))
                }
            } else {
                values[fieldName(name), default: []].append(String(decoding: body, as: UTF8.self))
            }
        }
        do {
            try parser.execute(buffer)
        } catch {
            throw HTTPError(.badRequest, message: "The form's multipart body could not be read.")
        }
        return FormFields(values: values, uploads: uploads)
    }

    /// MultipartKit 4.7 looks a header name's bytes up in a table of 128 and traps on any byte above it, so a
    /// part whose header names are not ASCII is refused before the parser sees it.
    static func headerNamesAreASCII(_ bytes: [UInt8], boundary: String) -> Bool {
        let delimiter = Array("--\(boundary)".utf8)
        var at = 0
        while let found = firstIndex(of: delimiter, in: bytes, from: at) {
            // The headers start after the delimiter's own line.
            guard let lineEnd = firstIndex(of: [13, 10], in: bytes, from: found + delimiter.count) else { return true }
            var line = lineEnd + 2
            // Each header line up to the blank one that ends the part's headers.
            while line < bytes.count {
                // A header cut off by the end of the body is read by the parser all the same.
                let end = firstIndex(of: [13, 10], in: bytes, from: line) ?? bytes.count
                if end == line { break }
                let name = bytes[line..<end].prefix { $0 != UInt8(ascii: ":") }
                if name.contains(where: { $0 >= 0x80 }) { return false }
                line = end + 2
            }
            at = found + delimiter.count
        }
        return true
    }

    private static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        var index = start
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0] && bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    static func multipartBoundary(_ contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            var value = String(part.dropFirst("boundary=".count))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            // RFC 2046 allows 1 to 70 characters.
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    /// `form-data; name="file"; filename="photo.jpg"` as its parameters.
    static func dispositionParameters(_ header: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            parameters[pair[0].trimmingCharacters(in: .whitespaces).lowercased()] = value
        }
        return parameters
    }

    private static func fieldName(_ name: String) -> String {
        name.hasSuffix("[]") ? String(name.dropLast(2)) : name
    }

    subscript(name: String) -> String? { values[name]?.last }
}

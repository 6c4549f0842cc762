import CaravanCore
import Foundation
import Hummingbird

/// A posted `application/x-www-form-urlencoded` body, keeping every value of a repeated name (checkboxes repeat).
struct FormFields: Sendable {
    let values: [String: [String]]

    /// A story's body is long, but not this long.
    static let maximumBytes = 4 << 20

    init(values: [String: [String]]) {
        self.values = values
    }

    init(body: String) {
        var values: [String: [String]] = [:]
        for (name, value) in FormEncoding.pairs(body[...]) {
            // PHP-style `countries[]` means the same as repeated `countries`.
            values[name.hasSuffix("[]") ? String(name.dropLast(2)) : name, default: []].append(value)
        }
        self.values = values
    }

    static func read(_ request: Request) async throws -> FormFields {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumBytes)
        } catch {
            throw HTTPError(.contentTooLarge, message: "The form is larger than \(maximumBytes >> 20) MB.")
        }
        return FormFields(body: String(decoding: buffer.readableBytesView, as: UTF8.self))
    }

    subscript(name: String) -> String? { values[name]?.last }
}

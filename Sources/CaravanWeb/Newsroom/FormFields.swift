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
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            var name = Self.decode(parts[0])
            // PHP-style `countries[]` means the same as repeated `countries`.
            if name.hasSuffix("[]") { name.removeLast(2) }
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[name, default: []].append(value)
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

    /// `+` is a space in forms; broken percent-escapes are kept as typed rather than refused.
    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

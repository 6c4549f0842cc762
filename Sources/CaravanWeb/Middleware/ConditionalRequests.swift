import Foundation
import Hummingbird

/// RFC 9110's conditional GET: `If-None-Match` when the request has one, otherwise `If-Modified-Since`.
enum ConditionalRequest {
    static func isNotModified(_ request: Request, etag: String, lastModified: Date?) -> Bool {
        if request.headers[.ifNoneMatch] != nil { return EntityTag.requestMatches(request, etag: etag) }
        guard let lastModified, let text = request.headers[.ifModifiedSince], let since = HTTPDate.parse(text) else {
            return false
        }
        return lastModified.timeIntervalSince1970.rounded(.down) <= since.timeIntervalSince1970
    }
}

/// HTTP's date format (`Sun, 06 Nov 1994 08:49:37 GMT`), read; anything else is no date at all.
enum HTTPDate {
    static func parse(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }
}

/// Entity tags as RFC 9110 compares them for `If-None-Match`.
enum EntityTag {
    /// Whether the request's `If-None-Match` names this tag; weak comparison, so a gzipped `W/"x"` matches `"x"`.
    static func requestMatches(_ request: Request, etag: String) -> Bool {
        guard let header = request.headers[.ifNoneMatch] else { return false }
        let wanted = opaque(etag)
        return header.split(separator: ",").contains { candidate in
            let tag = candidate.trimmingCharacters(in: .whitespaces)
            return tag == "*" || opaque(tag) == wanted
        }
    }

    /// The tag marked weak: a compressed body is a different byte sequence from the one the strong tag names.
    static func weak(_ etag: String) -> String {
        etag.hasPrefix("W/") ? etag : "W/" + etag
    }

    private static func opaque(_ tag: some StringProtocol) -> Substring {
        let tag = Substring(tag)
        return tag.hasPrefix("W/") ? tag.dropFirst(2) : tag
    }
}

extension ResponseBody {
    /// The whole body in one buffer; the site's responses are small and already in memory.
    func collected() async throws -> ByteBuffer {
        let sink = BodySink()
        try await write(BodyCollector(sink: sink))
        return sink.buffer
    }
}

/// Holds the bytes a `BodyCollector` receives; used by one task only.
private final class BodySink {
    var buffer = ByteBuffer()
}

private struct BodyCollector: ResponseBodyWriter {
    let sink: BodySink

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        sink.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

import Foundation
import Hummingbird

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

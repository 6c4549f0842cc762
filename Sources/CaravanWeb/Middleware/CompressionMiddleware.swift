import CompressNIO
import Foundation
import Hummingbird
import Synchronization

/// Gzips text answers for clients that accept it; the site's bodies are small and already in memory.
struct CompressionMiddleware: RouterMiddleware {
    typealias Context = SiteRequestContext
    /// Below about a kilobyte the gzip header and the CPU outweigh the bytes saved.
    let minimumSize: Int
    let cache: GzipCache

    init(minimumSize: Int = 1024, cache: GzipCache = GzipCache()) {
        self.minimumSize = minimumSize
        self.cache = cache
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        // A 304 carries no content type here, but stands for a text answer whose encoding varied.
        let compressible =
            response.status == .notModified || response.headers[.contentType].map(MediaTypes.isCompressible) == true
        guard compressible else { return response }
        Self.addVary(to: &response.headers)
        guard request.method != .head, Self.hasCompressibleBody(response.status),
            response.headers[.contentEncoding] == nil,
            AcceptEncoding.allowsGzip(request.headers[.acceptEncoding])
        else { return response }
        let body = try await response.body.collected()
        guard body.readableBytes >= minimumSize else {
            response.body = ResponseBody(byteBuffer: body)
            return response
        }
        response.headers[.contentEncoding] = "gzip"
        response.headers[.contentLength] = nil
        if let etag = response.headers[.eTag] {
            response.body = ResponseBody(byteBuffer: try cache.gzipped(body, etag: etag))
            response.headers[.eTag] = EntityTag.weak(etag)
        } else {
            response.body = ResponseBody(byteBuffer: try Self.gzip(body))
        }
        return response
    }

    static func gzip(_ body: ByteBuffer) throws -> ByteBuffer {
        var input = body
        return try input.compress(with: .gzip())
    }

    /// Only full answers with content: never 1xx, 204, 206 or 304.
    private static func hasCompressibleBody(_ status: HTTPResponse.Status) -> Bool {
        status.code >= 200 && status != .noContent && status != .partialContent && status != .notModified
    }

    private static func addVary(to headers: inout HTTPFields) {
        guard let vary = headers[.vary] else {
            headers[.vary] = "Accept-Encoding"
            return
        }
        let existing = vary.split(separator: ",").map { HeaderText.trimmed($0).lowercased() }
        guard !existing.contains("accept-encoding"), !existing.contains("*") else { return }
        headers[.vary] = vary + ", Accept-Encoding"
    }
}

/// Gzipped bodies of responses that carry an ETag, so a cached page is compressed once per version, not per request.
final class GzipCache: Sendable {
    private let entries = Mutex<[String: ByteBuffer]>([:])
    private let capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    func gzipped(_ body: ByteBuffer, etag: String) throws -> ByteBuffer {
        // The length guards against two bodies whose 64-bit hashes collide.
        let key = "\(etag) \(body.readableBytes)"
        if let hit = entries.withLock({ $0[key] }) { return hit }
        let compressed = try CompressionMiddleware.gzip(body)
        entries.withLock { entries in
            // Crude but bounded, like the page cache: a full cache starts again.
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = compressed
        }
        return compressed
    }
}

/// Which media types are text worth compressing.
enum MediaTypes {
    static func isCompressible(_ contentType: String) -> Bool {
        // Runs on every answer: plain string work, not Foundation's character sets.
        let type = HeaderText.trimmed(contentType.prefix { $0 != ";" }).lowercased()
        switch type {
        case "text/html", "text/css", "text/csv", "text/plain", "application/json", "application/xml",
            "application/feed+json", "application/javascript", "text/javascript":
            return true
        default:
            return type.hasPrefix("application/") && (type.hasSuffix("+xml") || type.hasSuffix("+json"))
        }
    }
}

/// Reads `Accept-Encoding` the way RFC 9110 defines it, q-values included.
enum AcceptEncoding {
    /// Whether gzip may be sent: named (or `x-gzip`, or `*`) with a q-value above zero; an explicit `gzip;q=0` wins over `*`.
    static func allowsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var gzip: Double?
        var wildcard: Double?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let first = parts.first else { continue }
            let coding = HeaderText.trimmed(first).lowercased()
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { String(HeaderText.trimmed($0)) }
                guard pair.count == 2, pair[0].lowercased() == "q" else { continue }
                // A malformed q-value is read as refusal rather than guessed at.
                quality = Double(pair[1]) ?? 0
            }
            switch coding {
            case "gzip", "x-gzip": gzip = max(gzip ?? 0, quality)
            case "*": wildcard = quality
            default: break
            }
        }
        return (gzip ?? wildcard ?? 0) > 0
    }
}

/// Header values trimmed of the spaces and tabs HTTP allows around them.
enum HeaderText {
    static func trimmed(_ text: some StringProtocol) -> Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let value = Substring(text)
        guard let first = value.firstIndex(where: { !isBlank($0) }), let last = value.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return value[first...last]
    }
}

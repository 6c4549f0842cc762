import CaravanCore
import CaravanStorage
import Foundation
import Hummingbird
import Synchronization

/// The media library's files: immutable at their addresses (a hash of the picture is in the path), so browsers and
/// proxies keep them for a year, and this instance keeps the ones asked for most in memory.
struct MediaController: Sendable {
    let store: (any MediaStore)?
    let cache: MediaFileCache

    func addRoutes(to router: RouteTable) {
        router.get(Addresses.mediaFile, use: file)
    }

    @Sendable func file(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let hash = try context.parameters.require("file")
        let name = try context.parameters.require("name")
        guard let store, MediaNaming.isFileHash(hash[...]), let format = MediaNaming.format(ofName: name[...]) else {
            return Self.missing
        }
        let etag = "\"\(hash)-\(name)\""
        // What an address holds never changes, so a browser holding its tag holds its bytes.
        if EntityTag.requestMatches(request, etag: etag) {
            return Response(status: .notModified, headers: [.cacheControl: Self.immutable, .eTag: etag])
        }
        let key = hash + "/" + name
        let bytes: ByteBuffer
        if let cached = cache.bytes(key) {
            bytes = cached
        } else {
            guard let file = try await store.file(hash, name: name) else { return Self.missing }
            bytes = ByteBuffer(bytes: file.bytes)
            cache.keep(key, bytes)
        }
        var headers: HTTPFields = [
            .contentType: format.contentType, .cacheControl: Self.immutable, .eTag: etag, .acceptRanges: "bytes",
        ]
        // A Range with If-Range naming another version gets the whole file; ours never changes, so only the tag counts.
        let rangeApplies = request.headers[.ifRange].map { $0 == etag } ?? true
        switch rangeApplies ? ByteRange.parse(request.headers[.range], length: bytes.readableBytes) : .whole {
        case .whole:
            headers[.contentLength] = String(bytes.readableBytes)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: bytes))
        case .part(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(bytes.readableBytes)"
            headers[.contentLength] = String(range.count)
            let slice = bytes.getSlice(at: bytes.readerIndex + range.lowerBound, length: range.count) ?? ByteBuffer()
            return Response(status: .partialContent, headers: headers, body: ResponseBody(byteBuffer: slice))
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(bytes.readableBytes)"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        }
    }

    private static let immutable = "public, max-age=31536000, immutable"

    private static var missing: Response {
        Response(
            status: .notFound, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "There is no such file in the media library.\n")))
    }
}

/// What a `Range` header asks of a file of `length` bytes. One range only: a browser or a video player asks for one,
/// and several would be answered whole.
enum ByteRange: Equatable {
    case whole
    case part(Range<Int>)
    case unsatisfiable

    static func parse(_ header: String?, length: Int) -> ByteRange {
        guard let header, header.hasPrefix("bytes=") else { return .whole }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .whole }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces)
        let last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        // Digits only; a number too long for Int reads as the largest, which is past any file's end.
        func number(_ text: String) -> Int? {
            guard !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
            return Int(text) ?? Int.max
        }
        if first.isEmpty {
            // The last N bytes.
            guard let count = number(last) else { return .whole }
            guard count > 0, length > 0 else { return .unsatisfiable }
            return .part(max(0, length - count)..<length)
        }
        guard let start = number(first) else { return .whole }
        guard start < length else { return .unsatisfiable }
        if last.isEmpty { return .part(start..<length) }
        guard let end = number(last) else { return .whole }
        guard end >= start else { return .whole }
        // `end` may be any number a client writes, Int.max included: never add to it.
        return .part(start..<(end >= length - 1 ? length : end + 1))
    }
}

/// The files this instance served lately, up to a budget of bytes; the oldest go first. Files never change at an
/// address, so nothing is ever stale.
final class MediaFileCache: Sendable {
    private struct State {
        var files: [String: (bytes: ByteBuffer, used: UInt64)] = [:]
        var total = 0
        var clock: UInt64 = 0
    }

    private let budget: Int
    private let state = Mutex(State())

    init(budget: Int) {
        self.budget = budget
    }

    func bytes(_ key: String) -> ByteBuffer? {
        state.withLock { state in
            guard let found = state.files[key] else { return nil }
            state.clock += 1
            state.files[key]?.used = state.clock
            return found.bytes
        }
    }

    func keep(_ key: String, _ bytes: ByteBuffer) {
        guard bytes.readableBytes <= budget / 8 else { return }
        state.withLock { state in
            guard state.files[key] == nil else { return }
            state.clock += 1
            state.files[key] = (bytes, state.clock)
            state.total += bytes.readableBytes
            while state.total > budget, let oldest = state.files.min(by: { $0.value.used < $1.value.used }) {
                state.files[oldest.key] = nil
                state.total -= oldest.value.bytes.readableBytes
            }
        }
    }
}

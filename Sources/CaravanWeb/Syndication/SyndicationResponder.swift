import CaravanStorage
import Foundation
import Hummingbird

/// Sends feeds and sitemaps: cached until the content changes, with ETags so pollers get a 304.
struct SyndicationResponder: Sendable {
    let store: any ArticleStore
    let cache: PageCache

    /// `window` names the time slice a document depends on besides the content (the news sitemap's clock), if any.
    func respond(
        to request: Request, contentType: String, window: String = "", build: () async throws -> Data
    ) async throws -> Response {
        let version = try await store.contentVersion()
        let key = request.uri.description
        if let entry = cache.entry(for: key, version: version, day: window) {
            return Self.response(entry, contentType: contentType, request: request)
        }
        let body = ByteBuffer(bytes: try await build())
        let entry = cache.store(PageCache.Entry(version: version, day: window, body: body), for: key)
        return Self.response(entry, contentType: contentType, request: request)
    }

    static func response(_ entry: PageCache.Entry, contentType: String, request: Request) -> Response {
        var response = PageResponder.response(entry, request: request)
        if response.status == .ok { response.headers[.contentType] = contentType }
        return response
    }
}

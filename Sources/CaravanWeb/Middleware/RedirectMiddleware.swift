import CaravanCore
import CaravanStorage
import Foundation
import Hummingbird
import Synchronization

/// The old site's addresses (a WordPress import's): an address that would be a 404 here, or the old site's
/// `/?p=123`, `/?s=words` and `/page/N/`, answers `301` to where its content lives now.
struct RedirectMiddleware: RouterMiddleware {
    typealias Context = SiteRequestContext
    let store: any RedirectStore
    let remembered = RememberedRedirects()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head else { return try await next(request, context) }
        let path = request.uri.path
        let query = request.uri.query ?? ""
        if path == "/" || path.isEmpty {
            // WordPress's search and its ?p= addresses live on the home page's address.
            if let words = FormQuery(query: query)["s"] {
                return Self.moved(SiteRoute.search(query: words).path)
            }
            let key = OldAddress.key(path: "/", query: query)
            if key != "/", let target = try await lookUp(key) { return Self.moved(target) }
            return try await next(request, context)
        }
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            if let target = try await target(path: path, query: query) { return Self.moved(target) }
            throw error
        }
        guard response.status == .notFound, let target = try await target(path: path, query: query) else { return response }
        return Self.moved(target)
    }

    /// The store's answer, remembered for a minute: old links are followed over and over (search engines, other
    /// sites), and a re-import shows within the minute.
    private func lookUp(_ key: String) async throws -> String? {
        if let known = remembered.answer(key) { return known }
        let found = try await store.redirect(from: key)
        remembered.keep(key, found)
        return found
    }

    private func target(path: String, query: String) async throws -> String? {
        let key = OldAddress.key(path: path, query: query)
        if let found = try await lookUp(key) { return found }
        if key.hasPrefix("/wp-content/uploads/"), let found = try await lookUp(OldAddress.unsized(key)) { return found }
        // A listing's later pages: `/category/news/page/3/` → the section's `?page=3`.
        if let (base, page) = OldAddress.paged(key) {
            if base == "/" { return SiteRoute.listing(.latest, page: page).path }
            if let found = try await lookUp(base) { return found + (found.contains("?") ? "&" : "?") + "page=\(page)" }
        }
        return nil
    }

    static func moved(_ target: String) -> Response {
        Response(status: .movedPermanently, headers: [.location: target, .cacheControl: "public, max-age=86400"])
    }
}

/// Answers of the redirect store, found or not, each for a minute; at most 100,000 at once (then all are forgotten).
final class RememberedRedirects: Sendable {
    private let answers = Mutex<[String: (target: String?, until: ContinuousClock.Instant)]>([:])

    /// The remembered answer: `.some(nil)` is a remembered "no redirect"; nil means ask the store.
    func answer(_ key: String) -> String?? {
        answers.withLock { answers in
            guard let found = answers[key], found.until > .now else { return nil }
            return .some(found.target)
        }
    }

    func keep(_ key: String, _ target: String?) {
        answers.withLock { answers in
            if answers.count >= 100_000 { answers.removeAll(keepingCapacity: true) }
            answers[key] = (target, .now + .seconds(60))
        }
    }
}

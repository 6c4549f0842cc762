import CaravanCore
import CaravanDemo
import CaravanRates
import CaravanSQLite
import CaravanStorage
import CaravanWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A fixed "now" so that date lines and corrections are predictable: 8 February 2025, 09:00 in Almaty.
let testNow = Date(timeIntervalSince1970: 1_738_987_200)

/// Runs `body` against the real application on an in-memory database, with nothing on the network.
func withSite(
    stories: [ArticleSubmission] = [], demo: Bool = false, perPage: Int = 10, now: Date = testNow,
    direction: SiteConfiguration.TickerDirection = .perUSD, feedContent: SiteConfiguration.FeedContent = .full,
    _ body: @Sendable (any TestClientProtocol, any ArticleStore) async throws -> Void
) async throws {
    let database = try SQLiteDatabase.inMemory()
    let store = SQLiteArticleStore(database: database, clock: { now })
    let zone = TimeZone(identifier: "Asia/Almaty")!
    let rateStore = SQLiteRateStore(database: database)
    let desk = RateDesk(store: rateStore, timeZone: zone)
    if demo {
        try await DemoContent.installIfEmpty(into: store, timeZone: zone)
        try await DemoContent.installRatesIfEmpty(into: desk, store: rateStore, fetchedAt: now)
    }
    if !stories.isEmpty { _ = try await store.save(stories) }
    let app = try await buildApplication(
        SiteDependencies(
            store: store, search: SQLiteSearchIndex(database: database, timeZone: zone), rates: desk,
            configuration: SiteConfiguration(perPage: perPage, tickerDirection: direction, feedContent: feedContent),
            clock: { now }))
    try await app.test(.router) { client in try await body(client, store) }
}

extension TestClientProtocol {
    /// GETs a path and hands back status, headers and the body as text.
    func get(_ path: String, headers: HTTPFields = [:]) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
        try await execute(uri: path, method: .get, headers: headers) { response in
            (response.status, response.headers, String(buffer: response.body))
        }
    }
}

/// A story with just enough to be listed.
func story(_ id: String, title: String, day: Int = 1, body: String = "Some text.", countries: [Country] = [.kazakhstan],
           tags: [String] = [], section: String? = "Economy") -> ArticleSubmission {
    ArticleSubmission(
        id: Article.ID(id), title: title, body: body,
        published: Date(timeIntervalSince1970: 1_735_700_000 + Double(day) * 3600), section: section,
        countries: countries, tags: tags, author: "Madina Rakhimova")
}

/// The `result-range` element's three numbers, read the way a machine would.
func resultRange(in html: String) -> (first: Int, last: Int, total: Int)? {
    guard let start = html.range(of: "<p class=\"result-range\"") else { return nil }
    let tag = html[start.lowerBound...].prefix(while: { $0 != ">" })
    func number(_ name: String) -> Int? {
        guard let attribute = tag.range(of: "\(name)=\"") else { return nil }
        return Int(tag[attribute.upperBound...].prefix(while: { $0 != "\"" }))
    }
    guard let first = number("data-first"), let last = number("data-last"), let total = number("data-total") else { return nil }
    return (first, last, total)
}

/// The internal links on a page: every href that starts with one slash.
func internalLinks(in html: String) -> [String] {
    var links: [String] = []
    var rest = html[...]
    while let found = rest.range(of: "href=\"") {
        let value = rest[found.upperBound...].prefix(while: { $0 != "\"" })
        if value.hasPrefix("/") && !value.hasPrefix("//") {
            links.append(String(value).replacingOccurrences(of: "&amp;", with: "&"))
        }
        rest = rest[found.upperBound...]
    }
    return links
}

import CaravanCore
import CaravanStorage
import Foundation
import Hummingbird

/// RSS, Atom and JSON feeds of the latest stories, of every country, section, tag and author, and of a search.
struct FeedController: Sendable {
    let store: any ArticleStore
    let index: any SearchIndex
    let responder: SyndicationResponder
    let configuration: SiteConfiguration
    let clock: @Sendable () -> Date
    /// For the featured photographs' enclosures; nil leaves them out.
    var media: (any MediaStore)? = nil

    /// How many stories a feed carries.
    static let length = 20

    func addRoutes(to router: RouteTable) {
        for format in FeedFormat.allCases {
            router.get(Addresses.feed(of: Addresses.home, format)) { request, _ in
                try await listingFeed(.latest, format: format, request: request)
            }
            router.get(Addresses.feed(of: Addresses.country, format)) { request, context in
                let slug = try context.parameters.require("slug")
                guard let country = Country(slug: slug) ?? Country(code: slug) else {
                    throw HTTPError(.notFound, message: "We do not cover a country called “\(slug.prefix(40))”, so it has no feed.")
                }
                return try await listingFeed(.country(country), format: format, request: request)
            }
            router.get(Addresses.feed(of: Addresses.section, format)) { request, context in
                try await listingFeed(.section(slug: context.parameters.require("slug")), format: format, request: request)
            }
            router.get(Addresses.feed(of: Addresses.tag, format)) { request, context in
                try await listingFeed(.tag(slug: context.parameters.require("slug")), format: format, request: request)
            }
            router.get(Addresses.feed(of: Addresses.author, format)) { request, context in
                try await listingFeed(.author(slug: context.parameters.require("slug")), format: format, request: request)
            }
            router.get(Addresses.feed(of: Addresses.search, format)) { request, _ in
                try await searchFeed(format: format, request: request)
            }
        }
    }

    func listingFeed(_ listing: Listing, format: FeedFormat, request: Request) async throws -> Response {
        try await responder.respond(to: request, contentType: format.contentType) {
            guard let page = try await store.listing(listing, page: 1, perPage: Self.length) else {
                throw HTTPError(.notFound, message: "There is no feed at this address: nothing is filed under “\(request.uri.path.prefix(80))”.")
            }
            let (title, description) = Self.words(for: listing, name: page.name, siteName: configuration.siteName)
            let stories = try await articles(page.teasers)
            let feed = Feed(
                title: title, description: description, pagePath: SiteRoute.listing(listing).path,
                route: { FeedRoute.listing(listing, $0) }, articles: stories, photographs: try await photographs(of: stories),
                configuration: configuration, emptyUpdated: clock())
            return try feed.document(format)
        }
    }

    func searchFeed(format: FeedFormat, request: Request) async throws -> Response {
        let asked = try SearchParameters.request(from: request, configuration: configuration)
        // A reader following a query wants what is new, whatever page or order the link was copied from.
        var search = asked
        search.page = 1
        search.perPage = Self.length
        search.sort = .newest
        search.highlights = false
        // The feed's own address leaves out what it ignores; its page is the same search, newest first.
        var canonical = asked
        canonical.page = 1
        canonical.sort = .relevance
        canonical.perPage = 10
        let feedLink = SearchController.link(canonical)
        let query = String(feedLink.drop(while: { $0 != "?" }).dropFirst())
        canonical.sort = .newest
        let pageLink = SearchController.link(canonical)
        return try await responder.respond(to: request, contentType: format.contentType) {
            let results = try await index.search(search)
            let text = asked.text.trimmingCharacters(in: .whitespacesAndNewlines)
            let stories = try await articles(results.hits.map(\.teaser))
            let feed = Feed(
                title: text.isEmpty ? "Search | \(configuration.siteName)" : "Search: \(text.prefix(80)) | \(configuration.siteName)",
                description: "The newest \(configuration.siteName) stories that match “\(text.prefix(200))”.",
                pagePath: pageLink, route: { FeedRoute.search(query: query, $0) },
                articles: stories, photographs: try await photographs(of: stories), configuration: configuration,
                emptyUpdated: clock())
            return try feed.document(format)
        }
    }

    /// The featured photographs of these stories, by id.
    private func photographs(of articles: [Article]) async throws -> [String: MediaItem] {
        guard let media else { return [:] }
        let ids = Array(Set(articles.compactMap { $0.image?.media }))
        return Dictionary(try await media.items(ids: ids).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The whole stories behind these teasers, in order; one unpublished in the meantime is left out.
    private func articles(_ teasers: [Teaser]) async throws -> [Article] {
        var articles: [Article] = []
        for teaser in teasers {
            if let article = try await store.article(slug: teaser.slug) { articles.append(article) }
        }
        return articles
    }

    static func words(for listing: Listing, name: String?, siteName: String) -> (title: String, description: String) {
        let name = name ?? ""
        return switch listing {
        case .latest: (siteName, "The latest stories from \(siteName).")
        case .country: ("\(name) | \(siteName)", "The latest \(siteName) stories about \(name).")
        case .section: ("\(name) | \(siteName)", "The latest \(siteName) stories in \(name).")
        case .tag: ("\(name) | \(siteName)", "The latest \(siteName) stories tagged “\(name)”.")
        case .author: ("\(name) | \(siteName)", "The latest \(siteName) stories by \(name).")
        }
    }
}

import CaravanCore
import CaravanStorage
import Foundation
import Hummingbird

/// Where the sitemaps live.
enum SitemapRoute: Sendable, Hashable {
    case index
    case pages
    /// Stories in storage order, `SiteConfiguration.storiesPerSitemap` to a file, numbered from 1.
    case stories(page: Int)
    case news
    case robots

    var path: String {
        switch self {
        case .index: Addresses.sitemapIndex.path()
        case .pages: Addresses.sitemap.path(Self.pagesFile)
        case .stories(let page): Addresses.sitemap.path("stories-\(page).xml")
        case .news: Addresses.sitemap.path(Self.newsFile)
        case .robots: Addresses.robots.path()
        }
    }

    static let pagesFile = "pages.xml"
    static let newsFile = "news.xml"

    /// The sitemap a link or a request's path points at; nil for a file that is not one.
    init?(link: String) {
        let path = Link.split(link).path
        if Addresses.sitemapIndex.match(path) != nil {
            self = .index
        } else if Addresses.robots.match(path) != nil {
            self = .robots
        } else if let file = Addresses.sitemap.match(path)?["file"] {
            self.init(file: file)
        } else {
            return nil
        }
    }

    /// The sitemap a file name under `/sitemaps/` names.
    init?(file: String) {
        switch file {
        case Self.pagesFile: self = .pages
        case Self.newsFile: self = .news
        default:
            guard file.hasPrefix("stories-"), file.hasSuffix(".xml"),
                let page = Int(file.dropFirst("stories-".count).dropLast(".xml".count)), page >= 1
            else { return nil }
            self = .stories(page: page)
        }
    }
}

/// The sitemap index, its sitemaps (listing pages, every story, Google News) and robots.txt.
struct SitemapController: Sendable {
    let store: any ArticleStore
    let responder: SyndicationResponder
    let configuration: SiteConfiguration
    let clock: @Sendable () -> Date

    /// Google News reads stories published in the last two days, at most 1,000 of them.
    static let newsWindow: TimeInterval = 48 * 3600
    static let newsLimit = 1000

    static let contentType = "application/xml; charset=utf-8"
    static let sitemapNamespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
    static let newsNamespace = "http://www.google.com/schemas/sitemap-news/0.9"

    func addRoutes(to router: RouteTable) {
        router.get(Addresses.sitemapIndex, use: index)
        router.get(Addresses.sitemap, use: sitemap)
        router.get(Addresses.robots, use: robots)
    }

    @Sendable func index(_ request: Request, context: SiteRequestContext) async throws -> Response {
        try await responder.respond(to: request, contentType: Self.contentType) {
            let count = try await store.publishedCount()
            let address = SiteAddress(configuration)
            var xml = XMLWriter()
            xml.start("sitemapindex", [("xmlns", Self.sitemapNamespace)])
            let routes = [SitemapRoute.pages] + (0..<storyPages(count)).map { SitemapRoute.stories(page: $0 + 1) } + [.news]
            for route in routes {
                xml.start("sitemap")
                xml.element("loc", address.absolute(route.path))
                xml.end()
            }
            xml.end()
            return Data(xml.document.utf8)
        }
    }

    @Sendable func sitemap(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let file = try context.parameters.require("file")
        switch SitemapRoute(file: file) {
        case .pages?: return try await pages(request)
        case .news?: return try await news(request)
        case .stories(let page)?: return try await stories(page: page, request: request)
        default:
            throw HTTPError(.notFound, message: "There is no sitemap called “\(file.prefix(40))”; start from /sitemap.xml.")
        }
    }

    func stories(page: Int, request: Request) async throws -> Response {
        try await responder.respond(to: request, contentType: Self.contentType) {
            let count = try await store.publishedCount()
            let pages = storyPages(count)
            guard page <= pages else {
                guard pages > 0 else { throw HTTPError(.notFound, message: "No story is published yet; start from /sitemap.xml.") }
                throw HTTPError(.notFound, message: "The story sitemaps end at \(SitemapRoute.stories(page: pages).path).")
            }
            let size = configuration.storiesPerSitemap
            let entries = try await store.sitemapEntries(offset: (page - 1) * size, limit: size)
            let address = SiteAddress(configuration)
            var xml = XMLWriter()
            xml.start("urlset", [("xmlns", Self.sitemapNamespace)])
            for entry in entries {
                xml.start("url")
                xml.element("loc", address.absolute(SiteRoute.article(slug: entry.slug).path))
                xml.element("lastmod", FeedDate.rfc3339(entry.updated))
                xml.end()
            }
            xml.end()
            return Data(xml.document.utf8)
        }
    }

    /// The home page, every country and every section, each dated by its newest story.
    /// The home page is listed even before anything is published, since the schema wants at least one <url>.
    func pages(_ request: Request) async throws -> Response {
        try await responder.respond(to: request, contentType: Self.contentType) {
            var listings: [Listing] = [.latest] + Country.allCases.map { .country($0) }
            listings += try await store.sections().map { .section(slug: $0.slug) }
            let address = SiteAddress(configuration)
            var xml = XMLWriter()
            xml.start("urlset", [("xmlns", Self.sitemapNamespace)])
            for listing in listings {
                let newest = try await store.listing(listing, page: 1, perPage: 1)?.teasers.first?.published
                // A listing with nothing published yet has nothing for a crawler to find.
                guard newest != nil || listing == .latest else { continue }
                xml.start("url")
                xml.element("loc", address.absolute(SiteRoute.listing(listing).path))
                if let newest { xml.element("lastmod", FeedDate.rfc3339(newest)) }
                xml.end()
            }
            xml.end()
            return Data(xml.document.utf8)
        }
    }

    /// Google News: stories published in the last 48 hours by the site's clock, newest first.
    /// With none, the home page alone and without news metadata: the schema wants at least one <url>,
    /// and Google reads a <url> without <news:news> as a page that is not news.
    func news(_ request: Request) async throws -> Response {
        let now = clock()
        // The window moves with the clock, so a cached copy lasts a minute at most.
        let minute = String(Int64(now.timeIntervalSince1970) / 60)
        return try await responder.respond(to: request, contentType: Self.contentType, window: minute) {
            let entries = try await store.sitemapEntries(
                publishedFrom: now.addingTimeInterval(-Self.newsWindow), to: now, limit: Self.newsLimit)
            let address = SiteAddress(configuration)
            var xml = XMLWriter()
            xml.start("urlset", [("xmlns", Self.sitemapNamespace), ("xmlns:news", Self.newsNamespace)])
            if entries.isEmpty {
                xml.start("url")
                xml.element("loc", address.absolute(SiteRoute.listing(.latest).path))
                xml.end()
            }
            for entry in entries {
                xml.start("url")
                xml.element("loc", address.absolute(SiteRoute.article(slug: entry.slug).path))
                xml.element("lastmod", FeedDate.rfc3339(entry.updated))
                xml.start("news:news")
                xml.start("news:publication")
                xml.element("news:name", configuration.siteName)
                xml.element("news:language", entry.language.rawValue)
                xml.end()
                xml.element("news:publication_date", FeedDate.rfc3339(entry.published ?? entry.updated))
                xml.element("news:title", entry.title.isEmpty ? "(untitled)" : entry.title)
                xml.end()
                xml.end()
            }
            xml.end()
            return Data(xml.document.utf8)
        }
    }

    @Sendable func robots(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let text = """
            User-agent: *
            Disallow: /admin/

            Sitemap: \(SiteAddress(configuration).absolute(SitemapRoute.index.path))

            """
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "public, max-age=3600"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Story sitemaps needed for this many stories; none for none, as an empty urlset breaks the schema.
    func storyPages(_ count: Int) -> Int {
        (count + configuration.storiesPerSitemap - 1) / configuration.storiesPerSitemap
    }
}

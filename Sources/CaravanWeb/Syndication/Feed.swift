import CaravanCore
import CaravanStorage
import Foundation

/// The three syndication formats every feed comes in.
enum FeedFormat: String, Sendable, CaseIterable {
    case rss, atom, json

    /// The last path segment: `/feed.xml`, `/countries/kazakhstan/atom.xml` ...
    var fileName: String {
        switch self {
        case .rss: "feed.xml"
        case .atom: "atom.xml"
        case .json: "feed.json"
        }
    }

    /// The media type for `<link rel="alternate" type=...>`.
    var mediaType: String {
        switch self {
        case .rss: "application/rss+xml"
        case .atom: "application/atom+xml"
        case .json: "application/feed+json"
        }
    }

    var contentType: String { "\(mediaType); charset=utf-8" }

    var label: String {
        switch self {
        case .rss: "RSS"
        case .atom: "Atom"
        case .json: "JSON Feed"
        }
    }
}

/// Where each feed lives: the page it follows, with the format's file name after it.
enum FeedRoute: Sendable, Hashable {
    case listing(Listing, FeedFormat)
    /// The search page's query string (without "?"), as `SearchController.link` writes it.
    case search(query: String, FeedFormat)

    var path: String {
        switch self {
        case .listing(let listing, let format):
            Addresses.feed(of: SiteRoute.address(of: listing), format).path(filling: SiteRoute.listingSlug(listing))
        case .search(let query, let format): Addresses.feed(of: Addresses.search, format).path() + "?\(query)"
        }
    }

    /// The feed a link points at, read back from the link.
    init?(link: String) {
        let (path, query) = Link.split(link)
        for format in FeedFormat.allCases {
            if Addresses.feed(of: Addresses.search, format).match(path) != nil {
                self = .search(query: query, format)
                return
            }
            if Addresses.feed(of: Addresses.home, format).match(path) != nil {
                self = .listing(.latest, format)
                return
            }
            let file = "/" + format.fileName
            if path.hasSuffix(file), let listing = SiteRoute.listing(at: String(path.dropLast(file.count))) {
                self = .listing(listing, format)
                return
            }
        }
        return nil
    }
}

/// Absolute URLs and stable ids, made from the configured site URL.
struct SiteAddress: Sendable {
    let base: String
    let host: String

    init(_ configuration: SiteConfiguration) {
        base = configuration.siteURL
        host = URL(string: configuration.siteURL)?.host ?? "caravan.invalid"
    }

    func absolute(_ path: String) -> String { base + path }

    /// The story's HTML with site-relative links and images made absolute: a feed reader has no page to resolve them
    /// against. The sanitiser writes every attribute double-quoted, so the attributes are found by their exact text.
    func absoluteLinks(in html: String) -> String {
        guard html.contains("=\"/") else { return html }
        var result = html
        for attribute in ["href", "src"] {
            result = result.replacingOccurrences(
                of: #"(?<=\s)\#(attribute)="/(?!/)"#, with: "\(attribute)=\"\(NSRegularExpression.escapedTemplate(for: base))/",
                options: .regularExpression)
        }
        return result
    }

    /// A tag URI (RFC 4151) from the story's id: it survives a changed slug or a moved site.
    func tagURI(for id: Article.ID) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let specific = id.rawValue.addingPercentEncoding(withAllowedCharacters: allowed) ?? id.rawValue
        return "tag:\(host),2025:article:\(specific)"
    }
}

/// A feed, whatever its format: what it is about and its newest stories.
struct Feed: Sendable {
    let title: String
    let description: String
    /// The HTML page the feed follows.
    let pageURL: String
    /// This feed in each format (absolute), for self links.
    let urls: [FeedFormat: String]
    /// Set only when every story shares one language.
    let language: String?
    let updated: Date
    let siteName: String
    let siteURL: String
    let items: [FeedItem]

    init(
        title: String, description: String, pagePath: String, route: (FeedFormat) -> FeedRoute, articles: [Article],
        photographs: [String: MediaItem] = [:], configuration: SiteConfiguration, emptyUpdated: Date
    ) {
        let address = SiteAddress(configuration)
        self.title = title
        self.description = description
        pageURL = address.absolute(pagePath)
        urls = Dictionary(uniqueKeysWithValues: FeedFormat.allCases.map { ($0, address.absolute(route($0).path)) })
        let languages = Set(articles.map(\.language))
        language = languages.count == 1 ? languages.first?.rawValue : nil
        items = articles.map {
            FeedItem($0, address: address, content: configuration.feedContent, photograph: $0.image?.media.flatMap { photographs[$0] })
        }
        // An empty feed still needs a date; the newest change otherwise, so the document is stable between edits.
        updated = items.map(\.updated).max() ?? emptyUpdated
        siteName = configuration.siteName
        siteURL = address.absolute("/")
    }
}

/// One story in a feed, with every link absolute.
struct FeedItem: Sendable {
    let id: String
    let url: String
    let title: String
    let summary: String
    /// The whole story as HTML; nil when the site publishes summaries only.
    let contentHTML: String?
    let published: Date
    let updated: Date
    let author: LinkView?
    let categories: [String]
    let language: String
    /// The featured photograph's 1200-wide JPEG, as an enclosure.
    let image: Enclosure?

    struct Enclosure: Sendable {
        let url: String
        let type: String
        let length: Int
    }

    init(_ article: Article, address: SiteAddress, content: SiteConfiguration.FeedContent, photograph: MediaItem? = nil) {
        image = photograph.flatMap { item in
            item.jpeg(atLeast: 1200).map {
                Enclosure(url: address.absolute(ResponsivePicture.path(item, $0)), type: $0.format.contentType, length: $0.length)
            }
        }
        id = address.tagURI(for: article.id)
        url = address.absolute(SiteRoute.article(slug: article.slug).path)
        title = article.title.isEmpty ? "(untitled)" : article.title
        summary = article.standfirst.isEmpty ? article.excerpt : article.standfirst
        contentHTML = content == .full ? address.absoluteLinks(in: article.bodyHTML) : nil
        published = article.published ?? article.updated
        updated = max(article.updated, published)
        author = article.author.map { LinkView(name: $0.name, url: address.absolute(SiteRoute.listing(.author(slug: $0.slug)).path)) }
        categories = (article.section.map { [$0.name] } ?? []) + article.tags.map(\.name)
        language = article.language.rawValue
    }
}

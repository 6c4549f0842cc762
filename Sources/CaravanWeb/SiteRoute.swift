import CaravanCore
import Foundation

/// Every page a link can point at. Links are built from these, never by pasting strings together.
public enum SiteRoute: Sendable, Hashable {
    case home
    case article(slug: String)
    case listing(Listing, page: Int = 1)
    case search(query: String, page: Int = 1)
    case rates
    case stylesheet(version: String)
    case mediaFile(file: String, name: String)

    public var path: String {
        switch self {
        case .home: Addresses.home.path()
        case .article(let slug): Addresses.article.path(slug)
        case .listing(let listing, let page): Self.listingPath(listing) + (page > 1 ? "?page=\(page)" : "")
        case .search(let query, let page):
            Addresses.search.path() + "?q=\(FormEncoding.escape(query))" + (page > 1 ? "&page=\(page)" : "")
        case .rates: Addresses.rates.path()
        case .stylesheet(let version): Addresses.stylesheet.path() + "?v=\(version)"
        case .mediaFile(let file, let name): Addresses.mediaFile.path(file, name)
        }
    }

    /// The address a listing's pages live at.
    static func address(of listing: Listing) -> Address {
        switch listing {
        case .latest: Addresses.home
        case .country: Addresses.country
        case .section: Addresses.section
        case .tag: Addresses.tag
        case .author: Addresses.author
        }
    }

    static func listingPath(_ listing: Listing) -> String {
        switch listing {
        case .latest: Addresses.home.path()
        default: address(of: listing).path(filling: listingSlug(listing))
        }
    }

    /// What fills a listing address's one capture: nothing for the latest stories.
    static func listingSlug(_ listing: Listing) -> [String] {
        switch listing {
        case .latest: []
        case .country(let country): [country.slug]
        case .section(let slug), .tag(let slug), .author(let slug): [slug]
        }
    }

    /// The page a link points at, read back from the link: what the round-trip test holds every printed link to.
    init?(link: String) {
        let (path, query) = Link.split(link)
        let form = FormQuery(query: query)
        let page = form["page"].flatMap(Int.init) ?? 1
        if let found = Addresses.article.match(path) {
            self = .article(slug: found["slug"]!)
        } else if Addresses.search.match(path) != nil {
            self = .search(query: form["q"] ?? "", page: page)
        } else if Addresses.rates.match(path) != nil {
            self = .rates
        } else if Addresses.stylesheet.match(path) != nil, let version = form["v"] {
            self = .stylesheet(version: version)
        } else if let found = Addresses.mediaFile.match(path) {
            self = .mediaFile(file: found["file"]!, name: found["name"]!)
        } else if Addresses.home.match(path) != nil {
            self = page > 1 ? .listing(.latest, page: page) : .home
        } else if let listing = Self.listing(at: path) {
            self = .listing(listing, page: page)
        } else {
            return nil
        }
    }

    /// The listing whose pages live at `path`, if any.
    static func listing(at path: String) -> Listing? {
        if let found = Addresses.country.match(path) { return Country(slug: found["slug"]!).map(Listing.country) }
        if let found = Addresses.section.match(path) { return .section(slug: found["slug"]!) }
        if let found = Addresses.tag.match(path) { return .tag(slug: found["slug"]!) }
        if let found = Addresses.author.match(path) { return .author(slug: found["slug"]!) }
        return nil
    }
}

/// A link's path and query string, apart.
enum Link {
    static func split(_ link: String) -> (path: String, query: String) {
        guard let mark = link.firstIndex(of: "?") else { return (link, "") }
        return (String(link[..<mark]), String(link[link.index(after: mark)...]))
    }
}

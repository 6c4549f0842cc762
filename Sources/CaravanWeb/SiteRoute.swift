import Foundation
import CaravanCore

/// Every page a link can point at. Links are built from these, never by pasting strings together.
public enum SiteRoute: Sendable, Hashable {
    case home
    case article(slug: String)
    case listing(Listing, page: Int = 1)
    case search(query: String, page: Int = 1)
    case rates
    case stylesheet(version: String)

    public var path: String {
        switch self {
        case .home: "/"
        case .article(let slug): "/articles/\(Self.escape(slug))"
        case .listing(let listing, let page): Self.listingPath(listing) + (page > 1 ? "?page=\(page)" : "")
        case .search(let query, let page):
            "/search?q=\(FormEncoding.escape(query))" + (page > 1 ? "&page=\(page)" : "")
        case .rates: "/rates"
        case .stylesheet(let version): "/static/caravan.css?v=\(version)"
        }
    }

    private static func listingPath(_ listing: Listing) -> String {
        switch listing {
        case .latest: "/"
        case .country(let country): "/countries/\(country.slug)"
        case .section(let slug): "/sections/\(escape(slug))"
        case .tag(let slug): "/tags/\(escape(slug))"
        case .author(let slug): "/authors/\(escape(slug))"
        }
    }

    /// Slugs are ASCII by construction; this keeps a stray character from breaking the URL.
    private static func escape(_ segment: String) -> String {
        // Slugs need no escaping, and building the character set costs more than the rest of a teaser.
        if segment.utf8.allSatisfy(FormEncoding.isUnreserved) { return segment }
        return segment.addingPercentEncoding(withAllowedCharacters: pathAllowed) ?? segment
    }

    private static let pathAllowed = CharacterSet.urlPathAllowed.subtracting(["/", "?", "#"])
}

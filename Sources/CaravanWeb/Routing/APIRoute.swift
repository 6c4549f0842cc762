import CaravanCore
import Hummingbird

/// The JSON API's addresses as links, and links read back as them: what a paged answer's `Link` header points at.
enum APIRoute: Sendable, Hashable {
    /// A query string's name and value, decoded.
    struct Parameter: Sendable, Hashable {
        let name: String
        let value: String
    }

    case search([Parameter])
    case articles([Parameter])
    case article(slug: String)
    case rates([Parameter])
    case rateHistory(currency: String, [Parameter])
    case openAPI

    var path: String {
        switch self {
        case .search(let parameters): Self.with(Addresses.apiSearch.path(), parameters)
        case .articles(let parameters): Self.with(Addresses.apiArticles.path(), parameters)
        case .article(let slug): Addresses.apiArticle.path(slug)
        case .rates(let parameters): Self.with(Addresses.apiRates.path(), parameters)
        case .rateHistory(let currency, let parameters): Self.with(Addresses.apiRateHistory.path(currency), parameters)
        case .openAPI: Addresses.openAPI.path()
        }
    }

    /// The API address a link points at, its parameters in the link's order; nil for any other link.
    init?(link: String) {
        let (path, query) = Link.split(link)
        let parameters = FormQuery(query: query).pairs.map { Parameter(name: $0.name, value: $0.value) }
        if Addresses.apiSearch.match(path) != nil {
            self = .search(parameters)
        } else if Addresses.apiArticles.match(path) != nil {
            self = .articles(parameters)
        } else if let found = Addresses.apiArticle.match(path), query.isEmpty {
            self = .article(slug: found["slug"]!)
        } else if Addresses.apiRates.match(path) != nil {
            self = .rates(parameters)
        } else if let found = Addresses.apiRateHistory.match(path) {
            self = .rateHistory(currency: found["currency"]!, parameters)
        } else if Addresses.openAPI.match(path) != nil, query.isEmpty {
            self = .openAPI
        } else {
            return nil
        }
    }

    /// The request's address and parameters.
    init?(_ request: Request) {
        self.init(link: request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""))
    }

    /// The same list on another page: its other parameters kept in their order, `page` last and left out on page 1.
    func onPage(_ page: Int) -> APIRoute {
        func paged(_ parameters: [Parameter]) -> [Parameter] {
            parameters.filter { $0.name != "page" } + (page > 1 ? [Parameter(name: "page", value: String(page))] : [])
        }
        return switch self {
        case .search(let parameters): .search(paged(parameters))
        case .articles(let parameters): .articles(paged(parameters))
        default: self
        }
    }

    /// The `Link` header of the answer to `request`, read back as a route only when the answer has pages to link.
    static func pageLinks(answering request: Request, range: ResultRange, site: SiteAddress) -> String? {
        guard range.pages > 1, let route = APIRoute(request) else { return nil }
        return pageLinks(route, range: range, site: site)
    }

    /// A paged answer's `Link` header (RFC 8288): its first, previous, next and last pages as absolute URLs; nil
    /// when everything fits on one page.
    static func pageLinks(_ route: APIRoute, range: ResultRange, site: SiteAddress) -> String? {
        guard range.pages > 1 else { return nil }
        var links = [(1, "first")]
        if range.page > 1 { links.append((min(range.page - 1, range.pages), "prev")) }
        if range.page < range.pages { links.append((range.page + 1, "next")) }
        links.append((range.pages, "last"))
        return links.map { page, relation in "<\(site.absolute(route.onPage(page).path))>; rel=\"\(relation)\"" }
            .joined(separator: ", ")
    }

    private static func with(_ path: String, _ parameters: [Parameter]) -> String {
        parameters.isEmpty ? path : path + "?" + FormEncoding.query(parameters.map { ($0.name, $0.value) })
    }
}

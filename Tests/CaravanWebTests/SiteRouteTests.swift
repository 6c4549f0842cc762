import CaravanCore
import Testing

@testable import CaravanWeb

/// Addresses the site links to: plain slugs and words untouched, everything else escaped.
@Suite("Site addresses")
struct SiteRouteTests {
    @Test(arguments: [
        (SiteRoute.article(slug: "tenge-falls-2024"), "/articles/tenge-falls-2024"),
        (SiteRoute.article(slug: "a b/c?d#e"), "/articles/a%20b%2Fc%3Fd%23e"),
        (SiteRoute.article(slug: "öskemen"), "/articles/%C3%B6skemen"),
        (SiteRoute.search(query: "silk road", page: 1), "/search?q=silk%20road"),
        (SiteRoute.search(query: "oil&gas=1", page: 2), "/search?q=oil%26gas%3D1&page=2"),
        (SiteRoute.search(query: "Öskemen", page: 1), "/search?q=%C3%96skemen"),
        (SiteRoute.search(query: "a.b_c-d~e", page: 1), "/search?q=a.b_c-d~e"),
    ])
    func paths(route: SiteRoute, expected: String) {
        #expect(route.path == expected)
    }
}

/// The API's addresses as its `Link` headers print them, and read back.
@Suite("API addresses")
struct APIRouteTests {
    typealias P = APIRoute.Parameter

    @Test(arguments: [
        (APIRoute.search([P(name: "q", value: "oil prices"), P(name: "page", value: "2")]), "/api/v1/search?q=oil%20prices&page=2"),
        (APIRoute.search([P(name: "q", value: "a+b&c")]), "/api/v1/search?q=a%2Bb%26c"),
        (APIRoute.articles([]), "/api/v1/articles"),
        (APIRoute.articles([P(name: "country", value: "KZ"), P(name: "per_page", value: "7")]), "/api/v1/articles?country=KZ&per_page=7"),
        (APIRoute.article(slug: "öskemen"), "/api/v1/articles/%C3%B6skemen"),
        (APIRoute.rates([P(name: "date", value: "2025-02-08")]), "/api/v1/rates?date=2025-02-08"),
        (APIRoute.rateHistory(currency: "KZT", []), "/api/v1/rates/KZT/history"),
        (APIRoute.openAPI, "/api/openapi.json"),
    ])
    func printsAndReadsBack(route: APIRoute, expected: String) {
        #expect(route.path == expected)
        #expect(APIRoute(link: route.path) == route)
    }

    @Test(arguments: ["/api/v1/nothing", "/api/v1/articles/a/b", "/search?q=oil", "/api/openapi.json?x=1", "/api/v1/articles/x?y=1"])
    func othersAreNotAPIRoutes(link: String) {
        #expect(APIRoute(link: link) == nil)
    }

    /// The pages each page links to, by relation, `page` always last and left out on page 1.
    @Test(arguments: [
        (1, 1, []),
        (1, 3, [(1, "first"), (2, "next"), (3, "last")]),
        (2, 3, [(1, "first"), (1, "prev"), (3, "next"), (3, "last")]),
        (3, 3, [(1, "first"), (2, "prev"), (3, "last")]),
    ] as [(Int, Int, [(Int, String)])])
    func pageLinks(page: Int, pages: Int, expected: [(Int, String)]) {
        let route = APIRoute.search([P(name: "page", value: String(page)), P(name: "q", value: "oil prices")])
        let header = APIRoute.pageLinks(
            route, range: ResultRange(total: pages * 10, page: page, perPage: 10),
            site: SiteAddress(SiteConfiguration(siteURL: "https://x.example/")))
        let wanted = expected.map { page, relation in
            "<https://x.example/api/v1/search?q=oil%20prices\(page > 1 ? "&page=\(page)" : "")>; rel=\"\(relation)\""
        }
        #expect(header == (wanted.isEmpty ? nil : wanted.joined(separator: ", ")))
    }
}

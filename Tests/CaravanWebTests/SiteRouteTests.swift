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

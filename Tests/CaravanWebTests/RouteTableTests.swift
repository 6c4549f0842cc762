import CaravanCore
import CaravanSQLite
import CaravanTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CaravanWeb

/// One table of addresses: the router holds exactly its addresses, and every link printed from a route reads back
/// as the route that printed it.
@Suite("The route table") struct RouteTableTests {
    /// Slugs and ids a link must carry whole: plain, with spaces, slashes, query marks, percent signs and letters
    /// beyond ASCII.
    static let awkward = ["tenge-slips", "two words", "slash/inside", "what?now", "100%", "выборы-2025", "a#b"]

    static var siteRoutes: [SiteRoute] {
        var routes: [SiteRoute] = [
            .home, .rates, .stylesheet(version: "3f2a9c"), .listing(.latest, page: 4),
            .mediaFile(file: "0123456789abcdef01234567", name: "640.webp"), .mediaFile(file: "ab", name: "original.jpg"),
        ]
        for slug in awkward {
            routes += [.article(slug: slug), .listing(.section(slug: slug)), .listing(.tag(slug: slug), page: 2)]
            routes += [.listing(.author(slug: slug), page: 3), .search(query: slug, page: 2)]
        }
        routes += Country.allCases.map { .listing(.country($0)) }
        routes += ["oil prices", "\"interest rates\" -cut", "AT&T", "a+b", "выборы", ""].map { .search(query: $0) }
        return routes
    }

    static var feedRoutes: [FeedRoute] {
        FeedFormat.allCases.flatMap { format -> [FeedRoute] in
            [.listing(.latest, format), .listing(.country(.kazakhstan), format), .search(query: "q=oil+prices", format)]
                + awkward.flatMap { slug in
                    [FeedRoute.listing(.section(slug: slug), format), .listing(.tag(slug: slug), format), .listing(.author(slug: slug), format)]
                }
        }
    }

    static let sitemapRoutes: [SitemapRoute] = [.index, .pages, .stories(page: 1), .stories(page: 12), .news, .robots]

    static var newsroomRoutes: [NewsroomRoute] {
        [.signIn, .signOut, .stories, .newStory, .people, .invitations, .role(Account.ID(rawValue: 42)), .mediaLibrary]
            + awkward.flatMap { id in
                [
                    NewsroomRoute.story(Article.ID(id)), .revisions(Article.ID(id)), .compare(Article.ID(id)),
                    .restore(Article.ID(id), revision: 7), .invitation(token: id), .mediaItem(id), .mediaDelete(id),
                    .mediaReplace(id),
                ]
            }
    }

    static var apiRoutes: [APIRoute] {
        let typed = ["oil prices", "a+b", "AT&T", "выборы", "\"interest rates\" -cut"]
        return [.openAPI, .articles([]), .rates([]), .rateHistory(currency: "KZT", [])]
            + typed.map { .search([APIRoute.Parameter(name: "q", value: $0), APIRoute.Parameter(name: "page", value: "2")]) }
            + awkward.flatMap { slug in
                [
                    APIRoute.article(slug: slug), .articles([APIRoute.Parameter(name: "tag", value: slug)]),
                    .rates([APIRoute.Parameter(name: "date", value: slug)]),
                    .rateHistory(currency: slug, [APIRoute.Parameter(name: "from", value: "2025-01-01")]),
                ]
            }
    }

    @Test func everyPrintedLinkReadsBackAsItsRoute() {
        for route in Self.siteRoutes {
            let read = SiteRoute(link: route.path)
            #expect(read?.path == route.path, "\(route) → \(route.path)")
            // The latest stories' first page is the home page: the one link two routes print alike.
            if route != .listing(.latest, page: 1) { #expect(read == route, "\(route.path)") }
        }
        for route in Self.feedRoutes { #expect(FeedRoute(link: route.path) == route, "\(route.path)") }
        for route in Self.sitemapRoutes { #expect(SitemapRoute(link: route.path) == route, "\(route.path)") }
        for route in Self.newsroomRoutes { #expect(NewsroomRoute(link: route.path) == route, "\(route.path)") }
        for route in Self.apiRoutes { #expect(APIRoute(link: route.path) == route, "\(route.path)") }
    }

    @Test func aLinkFromAnotherTableIsNotReadAsOneOfThese() {
        #expect(SiteRoute(link: "/admin/articles") == nil)
        #expect(SiteRoute(link: "/articles/a/b") == nil, "an escaped slash is part of the slug, a bare one is not")
        #expect(NewsroomRoute(link: "/articles/x") == nil)
        #expect(SitemapRoute(link: "/sitemaps/other.xml") == nil)
        #expect(FeedRoute(link: "/rates/feed.xml") == nil)
        #expect(APIRoute(link: "/search?q=oil") == nil && SiteRoute(link: "/api/v1/search?q=oil") == nil)
    }

    @Test func everyPrintedLinkHasOneAddressInTheTable() {
        let paths = Self.siteRoutes.map(\.path) + Self.feedRoutes.map(\.path) + Self.sitemapRoutes.map(\.path)
            + Self.newsroomRoutes.map(\.path) + Self.apiRoutes.map(\.path)
        for link in paths {
            let path = Link.split(link).path
            // As the router does, a literal segment wins over a capture (`/admin/articles/new` is not a story).
            let matching = Addresses.all.filter { $0.match(path) != nil }
            let fewest = matching.map(\.captures.count).min()
            #expect(matching.filter { $0.captures.count == fewest }.count == 1, "\(link) matches \(matching)")
        }
    }

    @Test func theRouterHoldsEveryAddressOfTheTableAndNoOther() async throws {
        let fixture = NewsroomFixture(database: try SQLiteDatabase.inMemory())
        let table = try await buildRouteTable(fixture.dependencies())
        #expect(Set(table.patterns) == Set(Addresses.all.map(\.routerPath.description)))
        #expect(Addresses.all.count == Set(Addresses.all).count, "each address is written once")
        #expect(Addresses.api.allSatisfy { $0.path(filling: $0.captures).hasPrefix(Addresses.apiPrefix) })
    }

    @Test func theRouterAnswersEveryPrintedLinkOfTheDemo() async throws {
        try await withSite(demo: true) { client, store in
            let story = try await store.listing(.latest, page: 1, perPage: 1)!.teasers[0]
            let links =
                [SiteRoute.home, .article(slug: story.slug), .listing(.country(.kazakhstan)), .search(query: "oil prices"), .rates]
                .map(\.path)
                + [FeedRoute.listing(.latest, .rss), .listing(.country(.kazakhstan), .atom), .search(query: "q=oil", .json)].map(\.path)
                + [SitemapRoute.index, .pages, .stories(page: 1), .news, .robots].map(\.path)
                + [APIRoute.openAPI, .articles([]), .article(slug: story.slug), .rates([]), .rateHistory(currency: "KZT", [])]
                .map(\.path)
            for link in links {
                let answer = try await client.execute(uri: link, method: .get)
                #expect(answer.status == .ok, "\(link)")
            }
        }
    }

    @Test func noTemplateWritesAnAddressOfItsOwn() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/CaravanWeb/Templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mustache") }
        #expect(names.count > 10)
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for attribute in ["href=\"/", "action=\"/", "src=\"/"] {
                #expect(!text.contains(attribute), "\(name) links to an address of its own (\(attribute)…)")
            }
        }
    }

    /// Links read back from what a person or a forger can send (the sign-in form's `next`, a sitemap's file name):
    /// hostile text, and links cut at every byte, are read as a route or refused, never a crash.
    @Test func hostileLinksAreReadOrRefused() {
        let texts = HostileQueries.all + HostileQueries.controls + HostileQueries.emoji + HostileQueries.scripts
        var links = texts.flatMap { ["/" + $0, "/admin/articles/" + $0, "/admin/" + $0 + "/compare", "/sitemaps/" + $0, $0] }
        links += ["", "/", "//", "?", "/?", "/admin/articles/%", "/admin/articles/%zz", "/admin/people/-1/role", "/sitemaps/stories-.xml"]
        for route in Self.newsroomRoutes + [.restore(Article.ID("x"), revision: 3)] {
            let path = route.path
            links += path.indices.map { String(path[..<$0]) }
        }
        for link in links {
            _ = SiteRoute(link: link)
            _ = FeedRoute(link: link)
            _ = SitemapRoute(link: link)
            if let route = APIRoute(link: link) { #expect(APIRoute(link: route.path) == route, "\(link)") }
            if let route = NewsroomRoute(link: link) { #expect(NewsroomRoute(link: route.path) == route, "\(link)") }
            _ = SignInController.safeNext(link)
        }
        #expect(SitemapRoute(file: "stories-.xml") == nil && SitemapRoute(file: "stories-0.xml") == nil)
        #expect(SignInController.safeNext("/admin/articles/%zz") == NewsroomRoute.stories.path)
    }
}

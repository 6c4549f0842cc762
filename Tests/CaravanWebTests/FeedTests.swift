import CaravanCore
import CaravanStorage
@testable import CaravanWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The demo site's address in tests (SiteConfiguration's default).
private let site = "http://127.0.0.1:8080"

/// 29 November 2026, 00:00 in Almaty: two days after the newest demo stories.
private let demoNow = Date(timeIntervalSince1970: 1_795_892_400)

@Suite("Feeds and sitemaps")
struct FeedTests {
    // MARK: Pure formatting

    @Test(arguments: [
        ("plain", "plain"),
        ("Silk & cotton", "Silk &amp; cotton"),
        ("<script>alert('x')</script>", "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"),
        ("say \"fair\"", "say &quot;fair&quot;"),
        ("bell\u{07}tab\tline\nend", "belltab\tline\nend"),
        ("nul\u{00}vt\u{0B}ff\u{0C}", "nulvtff"),
        ("\u{FFFE}\u{FFFF}ok", "ok"),
        ("Тенге ₸ 🐪", "Тенге ₸ 🐪"),
        ("", ""),
    ])
    func xmlEscaping(input: String, expected: String) {
        #expect(XMLText.escape(input) == expected)
    }

    @Test(arguments: [
        (0.0, "Thu, 01 Jan 1970 00:00:00 +0000", "1970-01-01T00:00:00Z"),
        (1_738_987_200, "Sat, 08 Feb 2025 04:00:00 +0000", "2025-02-08T04:00:00Z"),
        (1_709_164_799, "Wed, 28 Feb 2024 23:59:59 +0000", "2024-02-28T23:59:59Z"),
        (1_709_251_200, "Fri, 01 Mar 2024 00:00:00 +0000", "2024-03-01T00:00:00Z"),
        (1_795_892_400, "Sat, 28 Nov 2026 19:00:00 +0000", "2026-11-28T19:00:00Z"),
    ])
    func feedDates(seconds: Double, rfc822: String, rfc3339: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(FeedDate.rfc822(date) == rfc822)
        #expect(FeedDate.rfc3339(date) == rfc3339)
    }

    @Test func guidsAreTagURIsFromTheStoryIDNotItsSlug() {
        let address = SiteAddress(SiteConfiguration(siteURL: "https://caravan.example/"))
        #expect(address.tagURI(for: "demo-001") == "tag:caravan.example,2025:article:demo-001")
        #expect(address.tagURI(for: "a b/c") == "tag:caravan.example,2025:article:a%20b%2Fc")
        #expect(address.absolute("/feed.xml") == "https://caravan.example/feed.xml")
    }

    @Test func feedRoutesFollowTheirPages() {
        #expect(FeedRoute.listing(.latest, .rss).path == "/feed.xml")
        #expect(FeedRoute.listing(.country(.kazakhstan), .atom).path == "/countries/kazakhstan/atom.xml")
        #expect(FeedRoute.listing(.tag(slug: "water"), .json).path == "/tags/water/feed.json")
        #expect(FeedRoute.search(query: "q=dam", .rss).path == "/search/feed.xml?q=dam")
    }

    // MARK: Feeds

    @Test func siteRSSFeedListsTheLatestTwentyStories() async throws {
        try await withSite(demo: true) { client, store in
            let response = try await client.get("/feed.xml")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/rss+xml; charset=utf-8")
            let rss = try XMLTree.parse(response.body)
            #expect(rss.name == "rss" && rss.attributes["version"] == "2.0")
            let channel = try #require(rss.child("channel"))
            #expect(channel.text("title") == "Caravan")
            #expect(channel.text("link") == "\(site)/")
            let selfLink = channel.children(named: "atom:link").first
            #expect(selfLink?.attributes["href"] == "\(site)/feed.xml" && selfLink?.attributes["rel"] == "self")
            let items = channel.children(named: "item")
            #expect(items.count == 20)
            let latest = try #require(try await store.listing(.latest, page: 1, perPage: 20))
            #expect(items.map { $0.text("title") } == latest.teasers.map(\.title))
            #expect(items.map { $0.text("link") } == latest.teasers.map { "\(site)/articles/\($0.slug)" })
            for (item, teaser) in zip(items, latest.teasers) {
                #expect(item.text("pubDate") == FeedDate.rfc822(try #require(teaser.published)))
                #expect(item.child("guid")?.attributes["isPermaLink"] == "false")
                #expect(item.text("guid") == "tag:127.0.0.1,2025:article:\(teaser.id)")
                #expect(item.text("dc:creator") == teaser.author?.name)
                #expect(item.text("content:encoded")?.hasPrefix("<p>") == true, "full content by default")
            }
            #expect(items.first?.text("pubDate") == "Sat, 28 Nov 2026 11:45:00 +0000")
            #expect(channel.text("lastBuildDate") == "Sat, 28 Nov 2026 11:45:00 +0000")
        }
    }

    @Test func siteAtomFeedHasIdsDatesAndAbsoluteLinks() async throws {
        try await withSite(demo: true) { client, _ in
            let response = try await client.get("/atom.xml")
            #expect(response.headers[.contentType] == "application/atom+xml; charset=utf-8")
            let feed = try XMLTree.parse(response.body)
            #expect(feed.name == "feed" && feed.attributes["xmlns"] == "http://www.w3.org/2005/Atom")
            #expect(feed.text("id") == "\(site)/atom.xml")
            #expect(feed.text("updated") == "2026-11-28T11:45:00Z")
            let entries = feed.children(named: "entry")
            #expect(entries.count == 20)
            let first = try #require(entries.first)
            #expect(first.text("title") == "Issyk-Kul felt-makers take shyrdak carpets to a European design fair")
            #expect(first.text("id") == "tag:127.0.0.1,2025:article:demo-039")
            #expect(first.text("published") == "2026-11-28T11:45:00Z")
            #expect(first.child("link")?.attributes["href"]
                == "\(site)/articles/issyk-kul-felt-makers-take-shyrdak-carpets-to-a-european-design-fair")
            #expect(first.child("author")?.text("uri") == "\(site)/authors/bakyt-osmonov")
            #expect(first.child("content")?.attributes["type"] == "html")
            for entry in entries {
                #expect(entry.child("link")?.attributes["href"]?.hasPrefix("\(site)/articles/") == true)
            }
        }
    }

    @Test func jsonFeedDecodesAsVersionOnePointOne() async throws {
        try await withSite(demo: true) { client, _ in
            let response = try await client.get("/feed.json")
            #expect(response.headers[.contentType] == "application/feed+json; charset=utf-8")
            let feed = try JSONDecoder().decode(JSONFeedDocument.self, from: Data(response.body.utf8))
            #expect(feed.version == "https://jsonfeed.org/version/1.1")
            #expect(feed.feedURL == "\(site)/feed.json")
            #expect(feed.homePageURL == "\(site)/")
            #expect(feed.items.count == 20)
            let first = try #require(feed.items.first)
            #expect(first.id == "tag:127.0.0.1,2025:article:demo-039")
            #expect(first.datePublished == "2026-11-28T11:45:00Z")
            #expect(first.contentHTML?.hasPrefix("<p>") == true)
            #expect(first.contentText == nil)
            #expect(first.url.hasPrefix("\(site)/articles/"))
        }
    }

    @Test func summaryModeLeavesTheBodyOut() async throws {
        try await withSite(demo: true, feedContent: .summary) { client, _ in
            let rss = try XMLTree.parse(try await client.get("/feed.xml").body)
            let items = try #require(rss.child("channel")).children(named: "item")
            #expect(items.allSatisfy { $0.child("content:encoded") == nil && $0.text("description")?.isEmpty == false })
            let atom = try XMLTree.parse(try await client.get("/tags/crafts/atom.xml").body)
            #expect(atom.children(named: "entry").allSatisfy { $0.child("content") == nil && $0.child("summary") != nil })
            let json = try JSONDecoder().decode(JSONFeedDocument.self, from: Data(try await client.get("/feed.json").body.utf8))
            #expect(json.items.allSatisfy { $0.contentHTML == nil && $0.contentText == $0.summary })
        }
    }

    @Test func countryFeedsHoldOnlyThatCountrysStories() async throws {
        try await withSite(demo: true) { client, store in
            for format in FeedFormat.allCases {
                let response = try await client.get("/countries/kazakhstan/\(format.fileName)")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == format.contentType)
            }
            let channel = try #require(try XMLTree.parse(try await client.get("/countries/kazakhstan/feed.xml").body).child("channel"))
            #expect(channel.text("title") == "Kazakhstan | Caravan")
            #expect(channel.text("link") == "\(site)/countries/kazakhstan")
            let links = channel.children(named: "item").compactMap { $0.text("link") }
            let total = try #require(try await store.listing(.country(.kazakhstan), page: 1, perPage: 1)).range.total
            #expect(links.count == min(total, 20) && !links.isEmpty)
            for link in links {
                let article = try #require(try await store.article(slug: String(link.dropFirst("\(site)/articles/".count))))
                #expect(article.countries.contains(.kazakhstan))
            }
            #expect(try await client.get("/countries/KZ/feed.xml").status == .ok)
        }
    }

    @Test func sectionTagAndAuthorFeedsAreTitledAndUnknownOnesAre404() async throws {
        try await withSite(demo: true) { client, _ in
            let expected = [
                ("/sections/economy/feed.xml", "Economy | Caravan"), ("/tags/water/feed.xml", "water | Caravan"),
                ("/authors/bakyt-osmonov/feed.xml", "Bakyt Osmonov | Caravan"),
            ]
            for (path, title) in expected {
                let channel = try #require(try XMLTree.parse(try await client.get(path).body).child("channel"))
                #expect(channel.text("title") == title, "\(path)")
                #expect(!channel.children(named: "item").isEmpty, "\(path)")
            }
            for path in ["/tags/no-such-tag/feed.xml", "/sections/nope/atom.xml", "/authors/nobody/feed.json", "/countries/narnia/feed.xml"] {
                #expect(try await client.get(path).status == .notFound, "\(path)")
            }
        }
    }

    @Test func searchFeedFollowsAQueryNewestFirst() async throws {
        try await withSite(demo: true) { client, store in
            let channel = try #require(try XMLTree.parse(try await client.get("/search/feed.xml?q=glaciers").body).child("channel"))
            #expect(channel.text("title") == "Search: glaciers | Caravan")
            #expect(channel.text("link") == "\(site)/search?q=glaciers&sort=newest")
            let items = channel.children(named: "item")
            #expect(!items.isEmpty)
            var previous = Date.distantFuture
            for item in items {
                let slug = String(try #require(item.text("link")).dropFirst("\(site)/articles/".count))
                let published = try #require(try await store.article(slug: slug)?.published)
                #expect(published <= previous)
                previous = published
            }
            for format in FeedFormat.allCases {
                let empty = try await client.get("/search/\(format.fileName)?q=zzyzxquux")
                #expect(empty.status == .ok)
                #expect(empty.headers[.contentType] == format.contentType)
            }
            let emptyRSS = try XMLTree.parse(try await client.get("/search/feed.xml?q=zzyzxquux").body)
            #expect(emptyRSS.child("channel")?.children(named: "item").isEmpty == true)
            let emptyJSON = try JSONDecoder().decode(
                JSONFeedDocument.self, from: Data(try await client.get("/search/feed.json?q=zzyzxquux").body.utf8))
            #expect(emptyJSON.items.isEmpty && emptyJSON.feedURL == "\(site)/search/feed.json?q=zzyzxquux")
        }
    }

    @Test func ampersandsAndQuotesInATitleAreEscaped() async throws {
        try await withSite(demo: true) { client, _ in
            let title = "Silk & cotton: what \"fair trade\" means for Ferghana weavers"
            let body = try await client.get("/search/feed.xml?q=ferghana+weavers").body
            #expect(body.contains("<title>Silk &amp; cotton: what &quot;fair trade&quot; means for Ferghana weavers</title>"))
            let items = try #require(try XMLTree.parse(body).child("channel")).children(named: "item")
            #expect(items.contains { $0.text("title") == title })
            let atom = try XMLTree.parse(try await client.get("/tags/crafts/atom.xml").body)
            #expect(atom.children(named: "entry").contains { $0.text("title") == title })
        }
    }

    @Test func markupAndControlCharactersInATitleStayInert() async throws {
        let title = "<script>alert('x')</script> Dam\u{0B} talks & \"deals\""
        try await withSite(stories: [story("x1", title: title)]) { client, _ in
            for path in ["/feed.xml", "/atom.xml"] {
                let body = try await client.get(path).body
                #expect(!body.contains("<script>"), "\(path)")
                let root = try XMLTree.parse(body)
                let entries = path == "/feed.xml" ? root.child("channel")?.children(named: "item") ?? [] : root.children(named: "entry")
                #expect(entries.first?.text("title") == "<script>alert('x')</script> Dam talks & \"deals\"", "\(path)")
            }
            let json = try JSONDecoder().decode(JSONFeedDocument.self, from: Data(try await client.get("/feed.json").body.utf8))
            #expect(json.items.first?.title == title, "JSON carries the title as a plain string")
        }
    }

    @Test func feedsAnswerConditionalRequestsAndFollowEdits() async throws {
        try await withSite(stories: [story("a", title: "First")]) { client, store in
            let first = try await client.get("/feed.xml")
            let etag = try #require(first.headers[.eTag])
            #expect(try await client.get("/feed.xml", headers: [.ifNoneMatch: etag]).status == .notModified)
            _ = try await store.save([story("b", title: "Second", day: 2)])
            let second = try await client.get("/feed.xml", headers: [.ifNoneMatch: etag])
            #expect(second.status == .ok)
            #expect(second.body.contains("<title>Second</title>"))
        }
    }

    // MARK: Discovery

    @Test func everyPageAnnouncesTheSiteFeedsAndListingsTheirOwn() async throws {
        try await withSite(demo: true) { client, _ in
            let home = try await client.get("/").body
            #expect(home.contains("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Latest stories (RSS)\" href=\"/feed.xml\">"))
            #expect(home.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Latest stories (Atom)\" href=\"/atom.xml\">"))
            #expect(home.contains("type=\"application/feed+json\" title=\"Latest stories (JSON Feed)\" href=\"/feed.json\">"))
            let country = try await client.get("/countries/kazakhstan").body
            #expect(country.contains("href=\"/feed.xml\""))
            for format in FeedFormat.allCases {
                #expect(country.contains(
                    "<link rel=\"alternate\" type=\"\(format.mediaType)\" title=\"Kazakhstan (\(format.label))\" href=\"/countries/kazakhstan/\(format.fileName)\">"))
            }
            let tag = try await client.get("/tags/water").body
            #expect(tag.contains("href=\"/tags/water/atom.xml\""))
            let article = try await client.get("/articles/silk-cotton-what-fair-trade-means-for-ferghana-weavers").body
            #expect(article.contains("href=\"/feed.xml\""))
            let archive = try await client.get("/?page=2").body
            #expect(archive.components(separatedBy: "href=\"/feed.xml\"").count == 2, "the archive's feed is the site's, once")
        }
    }

    // MARK: Sitemaps

    @Test func sitemapIndexPointsAtEverySitemap() async throws {
        try await withSite(demo: true) { client, _ in
            let response = try await client.get("/sitemap.xml")
            #expect(response.headers[.contentType] == "application/xml; charset=utf-8")
            let index = try XMLTree.parse(response.body)
            #expect(index.name == "sitemapindex" && index.attributes["xmlns"] == "http://www.sitemaps.org/schemas/sitemap/0.9")
            let locations = index.children(named: "sitemap").compactMap { $0.text("loc") }
            #expect(locations == ["\(site)/sitemaps/pages.xml", "\(site)/sitemaps/stories-1.xml", "\(site)/sitemaps/news.xml"])
            for location in locations {
                #expect(try await client.get(String(location.dropFirst(site.count))).status == .ok, "\(location)")
            }
            #expect(try await client.get("/sitemaps/stories-2.xml").status == .notFound)
            #expect(try await client.get("/sitemaps/stories-0.xml").status == .notFound)
            #expect(try await client.get("/sitemaps/other.xml").status == .notFound)
        }
    }

    @Test func storySitemapListsEveryPublishedStoryExactlyOnce() async throws {
        let draft = ArticleSubmission(id: "draft-1", title: "Not yet", body: "Draft.", status: .draft)
        try await withSite(stories: [draft], demo: true) { client, store in
            let urlset = try XMLTree.parse(try await client.get("/sitemaps/stories-1.xml").body)
            #expect(urlset.name == "urlset" && urlset.attributes["xmlns"] == "http://www.sitemaps.org/schemas/sitemap/0.9")
            let urls = urlset.children(named: "url")
            let published = try #require(try await store.listing(.latest, page: 1, perPage: 1000)).teasers
            #expect(urls.count == published.count)
            #expect(Set(urls.compactMap { $0.text("loc") }) == Set(published.map { "\(site)/articles/\($0.slug)" }))
            #expect(!urls.contains { $0.text("loc")?.hasSuffix("/not-yet") == true })
            let lastmod = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/
            #expect(urls.allSatisfy { ($0.text("lastmod")).map { $0.wholeMatch(of: lastmod) != nil } ?? false })
        }
    }

    @Test func newsSitemapHoldsOnlyTheLastTwoDays() async throws {
        try await withSite(demo: true, now: demoNow) { client, _ in
            let urlset = try XMLTree.parse(try await client.get("/sitemaps/news.xml").body)
            #expect(urlset.attributes["xmlns:news"] == "http://www.google.com/schemas/sitemap-news/0.9")
            let urls = urlset.children(named: "url")
            #expect(urls.compactMap { $0.child("news:news")?.text("news:title") } == [
                "Issyk-Kul felt-makers take shyrdak carpets to a European design fair",
                "Tajik and Afghan officials discuss reopening border markets on the Panj",
                "Turkmenistan and Uzbekistan agree a winter electricity deal",
            ])
            let news = try #require(urls.first?.child("news:news"))
            #expect(news.child("news:publication")?.text("news:name") == "Caravan")
            #expect(news.child("news:publication")?.text("news:language") == "en")
            #expect(news.text("news:publication_date") == "2026-11-28T11:45:00Z")
            #expect(urls.first?.text("loc") == "\(site)/articles/issyk-kul-felt-makers-take-shyrdak-carpets-to-a-european-design-fair")
        }
        try await withSite(demo: true) { client, _ in
            // On 8 February 2025 the newest story is weeks old and later ones are not out yet: the home page alone,
            // without news metadata, since the schema wants at least one <url>.
            let urlset = try XMLTree.parse(try await client.get("/sitemaps/news.xml").body)
            let urls = urlset.children(named: "url")
            #expect(urls.compactMap { $0.text("loc") } == ["\(site)/"])
            #expect(urls.allSatisfy { $0.child("news:news") == nil })
        }
    }

    @Test func robotsPointAtTheSitemap() async throws {
        try await withSite { client, _ in
            let response = try await client.get("/robots.txt")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(response.body.contains("User-agent: *"))
            #expect(response.body.contains("Sitemap: \(site)/sitemap.xml\n"))
        }
    }
}

/// A parsed XML element: enough of a DOM to read feeds and sitemaps the way a client would.
struct XMLTree: Sendable {
    var name: String
    var attributes: [String: String]
    var content = ""
    var elements: [XMLTree] = []

    func child(_ name: String) -> XMLTree? { elements.first { $0.name == name } }
    func children(named name: String) -> [XMLTree] { elements.filter { $0.name == name } }
    func text(_ name: String) -> String? { child(name)?.content }

    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses with Foundation's XMLParser; a document that is not well-formed is an error.
    static func parse(_ text: String) throws -> XMLTree {
        let parser = XMLParser(data: Data(text.utf8))
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw ParseError(description: "not well-formed XML: \(parser.parserError.map(String.init(describing:)) ?? "no root")")
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLTree] = []
        var root: XMLTree?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            stack.append(XMLTree(name: elementName, attributes: attributes))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !stack.isEmpty { stack[stack.count - 1].content += string }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            var element = stack.removeLast()
            if !element.elements.isEmpty { element.content = "" }
            if stack.isEmpty { root = element } else { stack[stack.count - 1].elements.append(element) }
        }
    }
}

@Suite("Links inside feed content")
struct FeedLinkTests {
    @Test("site-relative links and images in a story become absolute in every feed; other links are left alone")
    func relativeLinksBecomeAbsolute() async throws {
        let body = "See [the earlier story](/articles/earlier) and [a partner](https://partner.example/x).\n\n![Map](/static/map.png)"
        try await withSite(stories: [story("links", title: "Linked story", body: body)]) { client, _ in
            for path in ["/feed.xml", "/atom.xml", "/feed.json"] {
                let feed = try await client.get(path).body
                #expect(feed.contains("http://127.0.0.1:8080/articles/earlier"), "\(path)")
                #expect(feed.contains("http://127.0.0.1:8080/static/map.png"), "\(path)")
                #expect(feed.contains("https://partner.example/x"), "\(path)")
                #expect(!feed.contains("http://127.0.0.1:8080https://"), "\(path)")
            }
            // The page itself keeps its links relative.
            let page = try await client.get("/articles/linked-story").body
            #expect(page.contains(#"href="/articles/earlier""#))
        }
    }
}

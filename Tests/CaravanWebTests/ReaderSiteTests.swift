import CaravanCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The reader's site")
struct ReaderSiteTests {
    @Test func homeShowsDateLineLatestStoriesAndCountryBlocks() async throws {
        try await withSite(demo: true) { client, _ in
            let page = try await client.get("/")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.body.contains("08 February 2025"))
            #expect(page.body.contains("Issyk-Kul felt-makers take shyrdak carpets to a European design fair"))
            for country in ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan", "Afghanistan"] {
                #expect(page.body.contains("<h2 class=\"block-heading\" id=\"block-\(country.lowercased())\"><a href=\"/countries/\(country.lowercased())\">\(country)</a></h2>"))
            }
            #expect(page.body.components(separatedBy: "<article class=\"teaser").count - 1 == 11)
        }
    }

    @Test func articlePageShowsEverythingAReaderNeeds() async throws {
        try await withSite(demo: true) { client, _ in
            let page = try await client.get("/articles/silk-cotton-what-fair-trade-means-for-ferghana-weavers")
            #expect(page.status == .ok)
            #expect(page.body.contains("<h1>Silk &amp; cotton: what &quot;fair trade&quot; means for Ferghana weavers</h1>"))
            #expect(page.body.contains("<title>Silk &amp; cotton"))
            #expect(page.body.contains("rel=\"author\""))
            #expect(page.body.contains("<p class=\"kicker\"><a href=\"/sections/"))
            #expect(page.body.contains("<div class=\"story-body\">\n<p>"))
            #expect(page.body.contains("Related stories"))
            #expect(!page.body.contains("Updated"), "an imported story is not a correction")
            let related = page.body.components(separatedBy: "<aside class=\"related\"")[1]
            #expect(related.components(separatedBy: "<article class=\"teaser\">").count - 1 == 3)
        }
    }

    @Test func scriptInAStoryNeverReachesThePageAsMarkup() async throws {
        let probe = "<script>alert('x')</script><img src=x onerror=alert(1)>"
        try await withSite(stories: [story("x", title: "Breach \(probe)", body: "Body \(probe)\n\n`\(probe)`", tags: [probe])]) { client, _ in
            let page = try await client.get("/articles/breach-script-alert-x-script-img-src-x-onerror-alert-1")
            #expect(page.status == .ok)
            // The page's own JSON-LD is the one script element; the story's never becomes another.
            #expect(page.body.components(separatedBy: "<script").count - 1 == 1)
            #expect(page.body.contains("<script type=\"application/ld+json\">"))
            #expect(!page.body.contains("<img src=x"))
            #expect(page.body.contains("Breach &lt;script&gt;"))
            let home = try await client.get("/")
            #expect(!home.body.contains("<script"))
        }
    }

    @Test func listingShowsExactRangeAndPagination() async throws {
        let stories = (1...23).map { story("s\($0)", title: "Story number \($0)", day: $0) }
        try await withSite(stories: stories) { client, _ in
            let first = try await client.get("/countries/kazakhstan")
            #expect(resultRange(in: first.body)! == (1, 10, 23))
            #expect(first.body.contains(">Viewing results 1–10 of 23</p>"))
            #expect(first.body.contains("href=\"/countries/kazakhstan?page=2\""))
            let last = try await client.get("/countries/kazakhstan?page=3")
            #expect(resultRange(in: last.body)! == (21, 23, 23))
            #expect(last.body.contains("Story number 1<"))
            #expect(!last.body.contains("rel=\"next\""))
            let section = try await client.get("/sections/economy?page=2")
            #expect(resultRange(in: section.body)! == (11, 20, 23))
        }
    }

    @Test func emptyListingSaysSoInTheRangeElement() async throws {
        try await withSite(stories: [story("a", title: "Only one")]) { client, _ in
            let empty = try await client.get("/countries/turkmenistan")
            #expect(empty.status == .ok)
            #expect(empty.body.contains(#"<p class="result-range" data-first="0" data-last="0" data-total="0">No results</p>"#))
            let one = try await client.get("/countries/kazakhstan")
            #expect(one.body.contains(#"<p class="result-range" data-first="1" data-last="1" data-total="1">Viewing results 1–1 of 1</p>"#))
        }
    }

    @Test func pagePastTheEndIsA404ThatLinksToTheLastPage() async throws {
        let stories = (1...12).map { story("s\($0)", title: "Story \($0)", day: $0, tags: ["trade"]) }
        try await withSite(stories: stories) { client, _ in
            let page = try await client.get("/tags/trade?page=9")
            #expect(page.status == .notFound)
            #expect(page.body.contains("href=\"/tags/trade?page=2\""))
            #expect(page.body.contains("name=\"q\""))
        }
    }

    @Test(arguments: ["/articles/no-such-story", "/sections/astrology", "/tags/nope", "/authors/nobody", "/countries/atlantis", "/no/such/page"])
    func unknownAddressesAreHelpful404s(path: String) async throws {
        try await withSite(demo: true) { client, _ in
            let page = try await client.get(path)
            #expect(page.status == .notFound)
            #expect(page.body.contains("Page not found"))
            #expect(page.body.contains("action=\"/search\""))
            #expect(page.body.contains("class=\"masthead\""))
        }
    }

    @Test(arguments: ["abc", "0", "-1", "1.5", "99999999999999999999"])
    func aMalformedPageNumberIsABadRequestPage(value: String) async throws {
        try await withSite(demo: true) { client, _ in
            let page = try await client.get("/countries/kazakhstan?page=\(value)")
            #expect(page.status == .badRequest)
            #expect(page.body.contains("whole number"))
        }
    }

    @Test func everyLinkFromTheHomePageAnswers200() async throws {
        try await withSite(demo: true) { client, _ in
            var queue = ["/"]
            var seen: Set<String> = ["/"]
            var failures: [String] = []
            while let path = queue.popLast() {
                let page = try await client.get(path)
                guard page.status == .ok else {
                    failures.append("\(path) → \(page.status.code)")
                    continue
                }
                guard page.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                for link in internalLinks(in: page.body) where seen.insert(link).inserted {
                    queue.append(link)
                }
            }
            #expect(failures.isEmpty, "broken links: \(failures)")
            #expect(seen.count > 80, "the crawl reached only \(seen.count) pages")
        }
    }
}

@Suite("Operations")
struct OperationsTests {
    @Test func healthz() async throws {
        try await withSite { client, _ in
            let response = try await client.get("/healthz")
            #expect(response.status == .ok)
            #expect(response.body == "ok\n")
        }
    }

    @Test func metricsCountRequestsByRouteAndStatus() async throws {
        // The registry is the process's, shared with tests running alongside: so the test counts, rather than
        // looking for a label that any other test could have produced.
        @Sendable func value(_ series: String, in text: String) -> Double {
            text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) } ?? 0
        }
        let requests = #"hb_requests{http_route="/healthz",http_request_method="GET",http_response_status_code="200"}"#
        let durations = #"http_server_request_duration_count{http_route="/healthz",http_request_method="GET",http_response_status_code="200"}"#
        let missing = #"hb_requests{http_route="/sections/{slug}",http_request_method="GET",http_response_status_code="404"}"#
        try await withSite { client, _ in
            let before = try await client.get("/metrics")
            #expect(before.status == .ok)
            #expect(before.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            for _ in 1...3 { _ = try await client.get("/healthz") }
            for _ in 1...2 { _ = try await client.get("/sections/no-such-section") }
            let after = try await client.get("/metrics").body
            #expect(value(requests, in: after) >= value(requests, in: before.body) + 3)
            #expect(value(durations, in: after) >= value(durations, in: before.body) + 3)
            #expect(value(missing, in: after) >= value(missing, in: before.body) + 2)
            // A method a client makes up is counted, under one name, so made-up methods cannot grow the table.
            for invented in ["BREW", "WHEN"] {
                _ = try await client.execute(uri: "/healthz", method: try #require(HTTPRequest.Method(invented))) { _ in }
            }
            let counted = try await client.get("/metrics").body
            #expect(!counted.contains(#"http_request_method="BREW""#))
            #expect(counted.contains(#"http_request_method="_OTHER""#))
        }
    }

    @Test func theStylesheetIsCachedForAYearUnderAVersionedURL() async throws {
        try await withSite { client, _ in
            let home = try await client.get("/")
            let link = try #require(internalLinks(in: home.body).first { $0.hasPrefix("/static/caravan.css?v=") })
            let css = try await client.get(link)
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(css.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(css.body.contains(".result-range"))
            let again = try await client.get(link, headers: [.ifNoneMatch: css.headers[.eTag]!])
            #expect(again.status == .notModified)
        }
    }

    @Test func pagesCarryAnETagThatChangesWhenTheStoryChanges() async throws {
        try await withSite(stories: [story("a", title: "Original headline")]) { client, store in
            let first = try await client.get("/articles/original-headline")
            let etag = try #require(first.headers[.eTag])
            let cached = try await client.get("/articles/original-headline", headers: [.ifNoneMatch: etag])
            #expect(cached.status == .notModified)
            var corrected = story("a", title: "Corrected headline")
            corrected.slug = "original-headline"
            _ = try await store.save([corrected])
            let after = try await client.get("/articles/original-headline", headers: [.ifNoneMatch: etag])
            #expect(after.status == .ok)
            #expect(after.body.contains("Corrected headline"))
            #expect(after.headers[.eTag] != etag)
            #expect(after.body.contains("Updated <time"))
        }
    }
}

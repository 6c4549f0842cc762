import CaravanCore
@testable import CaravanWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// What a browser's GET form sends: spaces as `+`, a typed plus as `%2B`, everything else percent-escaped.
private func formEncoded(_ typed: String) -> String {
    FormEncoding.escape(typed).replacingOccurrences(of: "%20", with: "+")
}

@Suite("Queries as a browser's form sends them")
struct FormQueryTests {
    static let stories = [
        story("oil", title: "Government sets oil prices", day: 3, body: "The government fixed oil prices for the winter."),
        story("gas", title: "Gas deal signed", day: 2, body: "The government signed a gas deal; oil was not discussed."),
        story("rates", title: "Interest rates held", day: 1, body: "The bank kept interest rates steady for a third month."),
        story("cut", title: "Interest rates cut", day: 4, body: "The bank cut interest rates by a quarter point."),
        story("plus", title: "C++ in schools", day: 5, body: "Schools in Almaty teach C++ and Python."),
    ]

    @Test(arguments: ["government oil", "oil government", "\"interest rates\" -cut", "interest rates", "oil prices"])
    func theSearchPageFindsWhatTheAPIFindsForTheSameWords(typed: String) async throws {
        try await withSite(stories: Self.stories) { client, _ in
            let page = try await client.get("/search?q=\(formEncoded(typed))")
            let api = try await client.get("/api/v1/search?q=\(FormEncoding.escape(typed))")
            let json = try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as! [String: Any]
            let total = json["total"] as! Int
            #expect(total > 0)
            #expect(resultRange(in: page.body)?.total == total, "the box and the API disagree on \(typed)")
            // The same words sent with %20 give the very same page of results.
            let escaped = try await client.get("/search?q=\(FormEncoding.escape(typed))")
            #expect(resultRange(in: escaped.body)?.total == total)
            // The box, the heading and the title show the words as typed, not their `+`.
            let shown = typed.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            #expect(page.body.contains("name=\"q\" value=\"\(shown)\""))
            #expect(page.body.contains("Results for “\(shown)”"))
            #expect(page.body.contains("<title>Search: \(shown) |"))
            #expect(!page.body.contains(shown.replacingOccurrences(of: " ", with: "+")), "a + is left on the page for \(typed)")
        }
    }

    @Test func multiWordSearchesFromTheFormFindStoriesWithTheWordsApart() async throws {
        try await withSite(stories: Self.stories) { client, _ in
            // "government" and "oil" stand apart in the gas story: a phrase would miss it.
            let page = try await client.get("/search?q=government+oil&country=&section=&from=&to=&sort=relevance")
            #expect(resultRange(in: page.body)! == (1, 2, 2))
            let excluded = try await client.get("/search?q=%22interest+rates%22+-cut")
            #expect(resultRange(in: excluded.body)?.total == 1)
            #expect(excluded.body.contains("/articles/interest-rates-held"))
        }
    }

    @Test func aTypedPlusArrivesAsAPlus() async throws {
        try await withSite(stories: Self.stories) { client, _ in
            let page = try await client.get("/search?q=c%2B%2B")
            #expect(page.body.contains("name=\"q\" value=\"c++\""))
            #expect(resultRange(in: page.body)?.total == 1)
        }
    }

    @Test func pageLinksAndTheFeedKeepTheWords() async throws {
        let many = (1...12).map { story("s\($0)", title: "Oil prices report \($0)", day: $0, body: "Oil and prices.") }
        try await withSite(stories: many) { client, _ in
            let first = try await client.get("/search?q=oil+prices")
            #expect(resultRange(in: first.body)! == (1, 10, 12))
            #expect(first.body.contains("href=\"/search?q=oil%20prices&amp;page=2\""))
            let second = try await client.get("/search?q=oil%20prices&page=2")
            #expect(resultRange(in: second.body)! == (11, 12, 12))
            let feed = try await client.get("/search/feed.xml?q=oil+prices")
            #expect(feed.status == .ok)
            #expect(feed.body.components(separatedBy: "<item>").count - 1 == 12)
            #expect(feed.body.contains("oil prices"))
            #expect(!feed.body.contains("oil+prices"))
        }
    }

    @Test func theDidYouMeanLinkCarriesTheCorrectedWords() async throws {
        try await withSite(stories: Self.stories) { client, _ in
            let page = try await client.get("/search?q=goverment+oill")
            #expect(page.body.contains("Did you mean <a href=\"/search?q=government%20oil\">government oil</a>?"))
        }
    }

    @Test func theNewsroomFilterReadsTheFormAsTyped() async throws {
        try await withNewsroom { client, newsroom in
            try await newsroom.person("editor@caravan.test", .editor)
            let editor = Browser(client)
            _ = try await editor.signIn("editor@caravan.test")
            for title in ["Water rights in Ferghana", "Rights of water users", "Water only"] {
                _ = try await editor.get("/admin/articles/new")
                let created = try await editor.post(
                    "/admin/articles", storyFields(title: title, body: "Text.", intent: "publish"))
                #expect(created.status == .seeOther)
            }
            let list = try await editor.get("/admin/articles?q=water+rights&status=")
            #expect(list.body.contains("value=\"water rights\""))
            #expect(list.body.contains("Water rights in Ferghana"))
            #expect(!list.body.contains("Water only"))
        }
    }

    @Test(arguments: [
        ("/admin/articles?q=AT%26T", "/admin/articles?q=AT%26T"),
        ("/admin/articles?q=50%25", "/admin/articles?q=50%25"),
        ("/admin/articles?status=draft", "/admin/articles?status=draft"),
        ("https://evil.example/admin/", "/admin/articles"),
        ("//evil.example/admin/", "/admin/articles"),
        ("/admin/articles/demo-1/compare?from=1&to=2", "/admin/articles/demo-1/compare?from=1&to=2"),
        ("/admin/people", "/admin/people"),
        ("/admin/no-such-page", "/admin/articles"),
        ("/admin/login?next=/admin/people", "/admin/articles"),
        ("/admin/articles/a\\b", "/admin/articles"),
        ("/articles/a-story", "/admin/articles"),
    ])
    func theSignInPagesNextIsDecodedOnceOnly(next: String, kept: String) {
        #expect(SignInController.safeNext(next) == kept)
    }
}

import CaravanCore
import CaravanSearch
import CaravanTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Archive search, as a reader and a client see it")
struct SearchPageTests {
    @Test func repatriationFindsEveryFormAndMarksIt() async throws {
        try await withSite(demo: true) { client, _ in
            let page = try await client.get("/search?q=repatriation")
            #expect(page.status == .ok)
            #expect(resultRange(in: page.body)! == (1, 4, 4))
            for form in ["repatriates", "repatriating", "repatriation", "repatriated"] {
                #expect(page.body.contains("<mark>\(form)</mark>"), "\(form) is not marked")
            }
            #expect(page.body.contains("<p class=\"excerpt\">"))
            #expect(page.body.contains("<h2><a href=\"/articles/kyrgyzstan-offers-land-and-housing-to-repatriates-willing-to-settle-in-naryn\">"))
        }
    }

    @Test func wordsInsideOtherWordsDoNotMatch() async throws {
        let stories = [
            story("a", title: "Art of the felt makers", body: "Traditional art."),
            story("b", title: "Part of the start", body: "A party started early."),
        ]
        try await withSite(stories: stories) { client, _ in
            let page = try await client.get("/search?q=art")
            #expect(resultRange(in: page.body)! == (1, 1, 1))
            #expect(page.body.contains("<mark>Art</mark> of the felt makers"))
        }
    }

    @Test func storiesWithEveryWordRankFirstAndLongQueriesStillFindSomething() async throws {
        let stories = [
            story("some", title: "Cotton prices fall", day: 2, body: "Cotton cotton cotton cotton."),
            story("every", title: "Harvest report", day: 1, body: "Cotton harvest in Ferghana with water shortages."),
        ]
        try await withSite(stories: stories) { client, _ in
            let api = try await client.get("/api/v1/search?q=cotton%20ferghana%20water")
            let json = try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as! [String: Any]
            let ids = (json["results"] as! [[String: Any]]).map { $0["id"] as! String }
            #expect(ids == ["every", "some"])
            let long = try await client.get("/api/v1/search?q=cotton%20zanzibar%20quokka%20velociraptor")
            #expect(long.body.contains("\"total\":2"))
        }
    }

    @Test func rangeIsExactWithFiltersAndPages() async throws {
        let stories = (1...23).map { story("s\($0)", title: "Water story \($0)", day: $0, countries: $0 % 2 == 0 ? [.uzbekistan] : [.tajikistan]) }
        try await withSite(stories: stories) { client, _ in
            #expect(resultRange(in: try await client.get("/search?q=water").body)! == (1, 10, 23))
            #expect(resultRange(in: try await client.get("/search?q=water&page=3").body)! == (21, 23, 23))
            #expect(resultRange(in: try await client.get("/search?q=water&country=UZ").body)! == (1, 10, 11))
            #expect(resultRange(in: try await client.get("/search?q=water&country=UZ&page=2").body)! == (11, 11, 11))
            #expect(resultRange(in: try await client.get("/search?q=water&per_page=50").body)! == (1, 23, 23))
            #expect(resultRange(in: try await client.get("/search?q=nothinglikethis").body)! == (0, 0, 0))
            let past = try await client.get("/search?q=water&page=4")
            #expect(past.status == .notFound)
            #expect(past.body.contains("href=\"/search?q=water&amp;page=3\""))
        }
    }

    @Test func apiAnswersContractShapeWithFacets() async throws {
        try await withSite(demo: true) { client, _ in
            let response = try await client.get("/api/v1/search?q=water&per_page=2")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            let json = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as! [String: Any]
            let total = json["total"] as! Int
            #expect(total > 2)
            #expect(json["page"] as? Int == 1)
            #expect(json["per_page"] as? Int == 2)
            #expect(json["pages"] as? Int == (total + 1) / 2)
            #expect(json["first"] as? Int == 1)
            #expect(json["last"] as? Int == 2)
            #expect(json.keys.contains("suggestion"))
            let first = (json["results"] as! [[String: Any]])[0]
            #expect(Set(first.keys) == ["id", "slug", "url", "title", "snippet", "published", "countries", "section"])
            #expect((first["snippet"] as! String).contains("<mark>"))
            let facets = json["facets"] as! [String: [String: Int]]
            #expect(facets["countries"]!.values.reduce(0, +) >= total)
            #expect(facets["years"]!.values.reduce(0, +) == total)
        }
    }

    @Test func misspellingsGetADidYouMeanLink() async throws {
        try await withSite(demo: true) { client, _ in
            let page = try await client.get("/search?q=electon")
            #expect(page.body.contains("Did you mean <a href=\"/search?q=election\">election</a>?"))
        }
    }

    @Test func snippetsAndTitlesNeverInjectMarkup() async throws {
        let stories = [story("x", title: "Water <script>alert(1)</script>", body: "The water <img src=x onerror=alert(1)> was `<script>` here.")]
        try await withSite(stories: stories) { client, _ in
            let page = try await client.get("/search?q=water")
            #expect(page.body.contains("<mark>Water</mark> &lt;script&gt;"))
            #expect(!page.body.contains("<script"))
            #expect(!page.body.contains("<img"))
        }
    }

    @Test(arguments: ["country=ZZ", "sort=oldest", "from=yesterday", "to=2025-13-01", "per_page=abc", "language=kk", "page=0", "from=2025-02-01&to=2025-01-01"])
    func badParametersAreA400ThatNamesThem(parameter: String) async throws {
        try await withSite(demo: true) { client, _ in
            let api = try await client.get("/api/v1/search?q=water&\(parameter)")
            #expect(api.status == .badRequest)
            let json = try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as! [String: [String: String]]
            #expect(json["error"]?["code"] == "bad_request")
            let name = String(parameter.prefix { $0 != "=" })
            #expect(json["error"]?["message"]?.contains(name) == true, "message does not name \(name)")
            let page = try await client.get("/search?q=water&\(parameter)")
            #expect(page.status == .badRequest)
        }
    }

    @Test func everyHostileQueryGetsAPageNeverAnError() async throws {
        try await withSite(demo: true) { client, _ in
            for query in HostileQueries.all {
                let escaped = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                let page = try await client.get("/search?q=\(escaped)")
                #expect(page.status == .ok, "\(query.prefix(40)) → \(page.status)")
                #expect(page.body.contains("class=\"result-range\""))
                let api = try await client.get("/api/v1/search?q=\(escaped)")
                #expect(api.status == .ok, "API: \(query.prefix(40)) → \(api.status)")
            }
            for raw in ["%", "%E0%A4%A", "%ZZwater", "water%00", "%FF%FE", "a%2", "%22%22%22"] {
                let page = try await client.get("/search?q=\(raw)")
                #expect(page.status == .ok || page.status == .badRequest, "\(raw) → \(page.status)")
            }
        }
    }

    @Test func onlyExclusionsExplainsPolitely() async throws {
        try await withSite(demo: true) { client, _ in
            let page = try await client.get("/search?q=-water")
            #expect(page.status == .ok)
            #expect(page.body.contains("A search needs at least one word to look for"))
            #expect(resultRange(in: page.body)! == (0, 0, 0))
        }
    }

    @Test func aWordOnlyInTheStandfirstIsShownFromTheStandfirst() async throws {
        var only = story("s", title: "Water talks", day: 1, body: "Officials met for a second day of talks.")
        only.standfirst = "Negotiators from Khujand and Osh discussed the canal."
        try await withSite(stories: [only]) { client, _ in
            let page = try await client.get("/search?q=khujand")
            #expect(page.body.contains("<mark>Khujand</mark>"))
        }
    }
}

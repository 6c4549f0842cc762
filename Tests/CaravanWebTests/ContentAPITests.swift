import CaravanCore
import CaravanStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The content API, CORS, and the OpenAPI document checked against what the server really answers.
@Suite("Content API")
struct ContentAPITests {
    static let articleKeys: Set<String> = [
        "id", "slug", "url", "title", "standfirst", "published", "updated", "author", "section", "countries", "tags", "language",
    ]

    @Test func listIsNewestFirstWithExactPaginationMeta() async throws {
        try await withSite(demo: true) { client, store in
            let first = try await json(client, "/api/v1/articles")
            #expect(meta(first) == [39, 1, 10, 4])
            let articles = try #require(first["articles"]?.array)
            #expect(articles.count == 10)
            #expect(Set(articles[0].object?.keys.map { $0 } ?? []) == Self.articleKeys)
            let published = articles.compactMap { $0["published"]?.string }
            #expect(published == published.sorted(by: >), "newest first")
            let slug = try #require(articles[0]["slug"]?.string)
            let stored = try #require(try await store.article(slug: slug))
            #expect(articles[0]["id"]?.string == stored.id.rawValue)
            #expect(articles[0]["url"]?.string == "/articles/\(slug)")
            #expect(articles[0]["author"]?.string == stored.author?.name)
            #expect(articles[0]["section"]?.string == stored.section?.name)
            #expect(articles[0]["countries"]?.array?.compactMap(\.string) == stored.countries.map(\.code))
            #expect(articles[0]["tags"]?.array?.compactMap(\.string) == stored.tags.map(\.name))
            #expect(articles[0]["language"]?.string == "en")
            #expect(articles[0]["published"]?.string == stored.published.map(DateLine.iso8601))
            #expect(articles[0]["body_html"] == nil, "the list leaves bodies out")

            let last = try await json(client, "/api/v1/articles?page=4")
            #expect(meta(last) == [39, 4, 10, 4])
            #expect(last["articles"]?.array?.count == 9)
            let small = try await json(client, "/api/v1/articles?per_page=7&page=2")
            #expect(meta(small) == [39, 2, 7, 6])
            #expect(small["articles"]?.array?.count == 7)
        }
    }

    /// A client that follows the `Link` header's `next` from the first page reads every story once, in order,
    /// with the filters it asked for kept; the last page has no `next`, and every page names the first and last.
    @Test func linkHeaderWalksEveryPageOfAListAndASearch() async throws {
        try await withSite(demo: true) { client, _ in
            let whole = try await json(client, "/api/v1/articles?country=KZ&per_page=50")
            let expected = whole["articles"]?.array?.compactMap { $0["slug"]?.string } ?? []
            #expect(expected.count > 3)
            var walked: [String] = []
            var next: String? = "/api/v1/articles?country=KZ&per_page=3"
            var pagesSeen = 0
            while let path = next {
                let response = try await client.get(path)
                #expect(response.status == .ok)
                walked += try JSONValue.parse(response.body)["articles"]?.array?.compactMap { $0["slug"]?.string } ?? []
                let links = try #require(response.headers[HTTPField.Name("Link")!])
                #expect(links.contains("<http://127.0.0.1:8080/api/v1/articles?country=KZ&per_page=3>; rel=\"first\""))
                #expect(response.headers[.accessControlExposeHeaders] == "Link")
                next = Self.linked("next", in: links).map { String($0.dropFirst("http://127.0.0.1:8080".count)) }
                pagesSeen += 1
                if next == nil {
                    #expect(links.hasSuffix("page=\(pagesSeen)>; rel=\"last\""))
                }
            }
            #expect(walked == expected)
            #expect(pagesSeen == (expected.count + 2) / 3)

            // Words typed into a form arrive with `+`; the links carry them as the same words.
            let search = try await client.get("/api/v1/search?q=bank+rates&per_page=2")
            let total = try #require(try JSONValue.parse(search.body)["total"]?.int)
            #expect(total > 2)
            let links = try #require(search.headers[HTTPField.Name("Link")!])
            let second = try #require(Self.linked("next", in: links))
            #expect(second == "http://127.0.0.1:8080/api/v1/search?q=bank%20rates&per_page=2&page=2")
            let page2 = try await json(client, String(second.dropFirst("http://127.0.0.1:8080".count)))
            #expect(page2["page"]?.int == 2)
            #expect(page2["total"]?.int == total)
            // Everything on one page: no header.
            let one = try await client.get("/api/v1/articles?per_page=50")
            #expect(one.headers[HTTPField.Name("Link")!] == nil)
        }
    }

    /// The URL of a `Link` header's member with this relation.
    static func linked(_ relation: String, in header: String) -> String? {
        for member in header.components(separatedBy: ", ") where member.hasSuffix("rel=\"\(relation)\"") {
            guard let open = member.firstIndex(of: "<"), let close = member.firstIndex(of: ">") else { return nil }
            return String(member[member.index(after: open)..<close])
        }
        return nil
    }

    @Test func perPageAboveFiftyIsRefusedLikeZero() async throws {
        try await withSite(demo: true) { client, _ in
            let all = try await json(client, "/api/v1/articles?per_page=50")
            #expect(meta(all) == [39, 1, 50, 1])
            #expect(all["articles"]?.array?.count == 39)
            for value in ["0", "51", "500"] {
                let refused = try await client.get("/api/v1/articles?per_page=\(value)")
                #expect(refused.status == .badRequest)
                #expect(refused.body.contains("per_page must be a whole number from 1 to 50"))
            }
        }
    }

    @Test func pagePastTheEndIsA404NamingTheLastPage() async throws {
        try await withSite(demo: true) { client, _ in
            let response = try await client.get("/api/v1/articles?page=5")
            #expect(response.status == .notFound)
            let error = try JSONValue.parse(response.body)["error"]
            #expect(error?["code"]?.string == "not_found")
            #expect(error?["message"]?.string?.contains("(4)") == true, "the message names the last page")
            #expect(response.headers[.accessControlAllowOrigin] == "*")
        }
    }

    @Test func filtersNarrowTheList() async throws {
        try await withSite(demo: true) { client, _ in
            let kazakhstan = try await json(client, "/api/v1/articles?country=KZ&per_page=50")
            #expect(kazakhstan["total"]?.int == 12)
            #expect(kazakhstan["articles"]?.array?.allSatisfy { $0["countries"]?.array?.contains(.string("KZ")) == true } == true)
            #expect(try await json(client, "/api/v1/articles?country=kazakhstan")["total"]?.int == 12, "a country's slug works too")
            let economy = try await json(client, "/api/v1/articles?section=Economy&per_page=50")
            #expect(economy["total"]?.int == 10)
            #expect(economy["articles"]?.array?.allSatisfy { $0["section"]?.string == "Economy" } == true)
            #expect(try await json(client, "/api/v1/articles?section=economy")["total"]?.int == 10)
            let trade = try await json(client, "/api/v1/articles?tag=trade&per_page=50")
            #expect(trade["total"]?.int == 11)
            #expect(trade["articles"]?.array?.allSatisfy { $0["tags"]?.array?.contains(.string("trade")) == true } == true)
            let bakyt = try await json(client, "/api/v1/articles?author=bakyt-osmonov&per_page=50")
            #expect(bakyt["total"]?.int == 6)
            #expect(bakyt["articles"]?.array?.allSatisfy { $0["author"]?.string == "Bakyt Osmonov" } == true)
            #expect(try await json(client, "/api/v1/articles?author=Bakyt%20Osmonov")["total"]?.int == 6)
            #expect(try await json(client, "/api/v1/articles?country=KZ&tag=trade")["total"]?.int == 3, "filters combine")
            #expect(try await json(client, "/api/v1/articles?from=2025-01-01&to=2025-12-31")["total"]?.int == 12)
            // 2025-01-21 11:40 and 2025-02-14 09:05 in Almaty: both days are inside the range.
            let window = try await json(client, "/api/v1/articles?from=2025-01-21&to=2025-02-14")
            #expect(window["total"]?.int == 2)
            #expect(window["articles"]?[0]?["published"]?.string == "2025-02-14T04:05:00Z", "dates are UTC")
            let nothing = try await json(client, "/api/v1/articles?section=no-such-section")
            #expect(meta(nothing) == [0, 1, 10, 1])
            #expect(nothing["articles"]?.array?.isEmpty == true)
        }
    }

    @Test func languageFilter() async throws {
        let stories = [
            ArticleSubmission(id: "en1", title: "Water talks", body: "Text.", published: testNow, language: .en),
            ArticleSubmission(id: "ru1", title: "Переговоры о воде", body: "Текст.", published: testNow, language: .ru),
        ]
        try await withSite(stories: stories) { client, _ in
            let russian = try await json(client, "/api/v1/articles?language=ru")
            #expect(russian["total"]?.int == 1)
            #expect(russian["articles"]?[0]?["id"]?.string == "ru1")
            #expect(russian["articles"]?[0]?["language"]?.string == "ru")
            #expect(russian["articles"]?[0]?["author"] == .null, "no byline is null, not absent")
            #expect(russian["articles"]?[0]?["section"] == .null)
            #expect(try await json(client, "/api/v1/articles?language=EN")["total"]?.int == 1)
        }
    }

    @Test func sortOldestFirst() async throws {
        try await withSite(demo: true) { client, _ in
            let oldest = try await json(client, "/api/v1/articles?sort=oldest")
            let published = oldest["articles"]?.array?.compactMap { $0["published"]?.string } ?? []
            #expect(published.first == "2024-12-09T05:15:00Z")
            #expect(published == published.sorted())
            let newest = try await json(client, "/api/v1/articles?sort=newest&page=4")
            #expect(newest["articles"]?.array?.last?["published"]?.string == "2024-12-09T05:15:00Z")
        }
    }

    @Test func singleArticleHasItsBody() async throws {
        try await withSite(demo: true) { client, store in
            let slug = "tenge-slips-as-oil-prices-soften-and-importers-stock-up-before-the-new-year"
            let stored = try #require(try await store.article(slug: slug))
            let response = try await client.get("/api/v1/articles/\(slug)")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            let article = try JSONValue.parse(response.body)
            #expect(Set(article.object?.keys.map { $0 } ?? []) == Self.articleKeys.union(["body_html"]))
            #expect(article["body_html"]?.string == stored.bodyHTML)
            #expect(article["title"]?.string == stored.title)
            #expect(article["standfirst"]?.string == stored.standfirst)
            #expect(article["published"]?.string == "2024-12-09T05:15:00Z")
        }
    }

    @Test func unknownSlugIsA404JSONError() async throws {
        try await withSite(demo: true) { client, _ in
            let response = try await client.get("/api/v1/articles/no-such-story")
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            let error = try JSONValue.parse(response.body)["error"]
            #expect(error?["code"]?.string == "not_found")
            #expect(error?["message"]?.string?.contains("no-such-story") == true)
        }
    }

    @Test(arguments: [
        ("page=abc", "page"), ("page=0", "page"), ("per_page=0", "per_page"), ("per_page=ten", "per_page"),
        ("country=ZZ", "country"), ("language=fr", "language"), ("from=2025-13-01", "from"), ("to=yesterday", "to"),
        ("sort=random", "sort"), ("from=2025-02-01&to=2025-01-01", "from"),
    ])
    func badParameterIsA400NamingIt(query: String, parameter: String) async throws {
        try await withSite { client, _ in
            let response = try await client.get("/api/v1/articles?\(query)")
            #expect(response.status == .badRequest, "\(query)")
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            let error = try JSONValue.parse(response.body)["error"]
            #expect(error?["code"]?.string == "bad_request")
            let message = error?["message"]?.string ?? ""
            #expect(message.contains(parameter), "“\(message)” should name \(parameter)")
        }
    }

    @Test func everyAPIAnswerAllowsAnyOrigin() async throws {
        try await withSite(demo: true) { client, _ in
            for path in ["/api/v1/articles", "/api/v1/search?q=water", "/api/v1/rates", "/api/openapi.json",
                         "/api/v1/articles/no-such-story", "/api/v1/no-such-endpoint", "/api/v1/rates?date=soon"] {
                let response = try await client.get(path, headers: [.origin: "https://example.org"])
                #expect(response.headers[.accessControlAllowOrigin] == "*", "\(path)")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, "\(path)")
            }
        }
    }

    @Test func preflightAllowsGetFromAnyOrigin() async throws {
        try await withSite(demo: true) { client, _ in
            for path in ["/api/v1/articles", "/api/v1/articles/some-story", "/api/v1/search", "/api/v1/rates/KZT/history",
                         "/api/openapi.json"] {
                let headers: HTTPFields = [
                    .origin: "https://example.org", .accessControlRequestMethod: "GET",
                    .accessControlRequestHeaders: "accept",
                ]
                let (status, answer) = try await client.execute(uri: path, method: .options, headers: headers) { response in
                    (response.status, response.headers)
                }
                #expect(status == .noContent, "\(path)")
                #expect(answer[.accessControlAllowOrigin] == "*")
                #expect(answer[.accessControlAllowMethods] == "GET, OPTIONS")
                #expect(answer[.accessControlAllowHeaders] == "accept")
            }
        }
    }

    // MARK: - The OpenAPI document against the real answers

    /// One real request per answer the document declares: (path template, URL, expected status).
    static let conformanceCases: [(template: String, url: String, status: Int)] = [
        ("/api/v1/articles", "/api/v1/articles", 200),
        ("/api/v1/articles", "/api/v1/articles?per_page=50&sort=oldest", 200),
        ("/api/v1/articles", "/api/v1/articles?country=AF&section=nothing", 200),
        ("/api/v1/articles", "/api/v1/articles?page=99", 404),
        ("/api/v1/articles", "/api/v1/articles?language=fr", 400),
        ("/api/v1/articles/{slug}", "/api/v1/articles/tenge-slips-as-oil-prices-soften-and-importers-stock-up-before-the-new-year", 200),
        ("/api/v1/articles/{slug}", "/api/v1/articles/no-such-story", 404),
        ("/api/v1/search", "/api/v1/search?q=water", 200),
        ("/api/v1/search", "/api/v1/search?q=wtaer", 200),
        ("/api/v1/search", "/api/v1/search?q=", 200),
        ("/api/v1/search", "/api/v1/search?q=water&page=99", 404),
        ("/api/v1/search", "/api/v1/search?q=water&per_page=x", 400),
        ("/api/v1/rates", "/api/v1/rates", 200),
        ("/api/v1/rates", "/api/v1/rates?date=2026-05-24", 200),
        ("/api/v1/rates", "/api/v1/rates?date=tomorrow", 400),
        ("/api/v1/rates/{currency}/history", "/api/v1/rates/KZT/history?from=2026-01-01&to=2026-12-31", 200),
        ("/api/v1/rates/{currency}/history", "/api/v1/rates/XYZ/history", 404),
        ("/api/v1/rates/{currency}/history", "/api/v1/rates/KZT/history?from=someday", 400),
    ]

    @Test func everyAnswerMatchesTheOpenAPIDocument() async throws {
        try await withSite(demo: true) { client, _ in
            let served = try await client.get("/api/openapi.json")
            #expect(served.status == .ok)
            #expect(served.headers[.contentType] == "application/json; charset=utf-8")
            let document = try JSONValue.parse(served.body)
            #expect(document["openapi"]?.string == "3.1.0")
            let checker = JSONSchemaChecker(document: document)
            let paths = try #require(document["paths"]?.object)
            var exercised = Set<String>()
            for (template, url, status) in Self.conformanceCases {
                let response = try await client.get(url)
                #expect(Int(response.status.code) == status, "\(url)")
                let declared = try #require(
                    paths[template]?["get"]?["responses"]?[String(status)], "\(template) declares no \(status) answer")
                let schema = try #require(declared["content"]?["application/json"]?["schema"], "\(template) \(status) has no JSON schema")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, "\(url)")
                if declared["headers"]?["Access-Control-Allow-Origin"] != nil {
                    #expect(response.headers[.accessControlAllowOrigin] == "*", "\(url)")
                }
                let problems = checker.problems(try JSONValue.parse(response.body), against: schema)
                #expect(problems.isEmpty, "\(url): \(problems.joined(separator: "; "))")
                exercised.insert("\(template) \(status)")
            }
            // Every answer the document promises is exercised, so a new one cannot go unchecked.
            var declared = Set<String>()
            for (template, item) in paths {
                for status in (item["get"]?["responses"]?.object ?? [:]).keys {
                    declared.insert("\(template) \(status)")
                }
            }
            #expect(declared == exercised)
        }
    }

    @Test func conformanceSamplesAreNotVacuous() async throws {
        try await withSite(demo: true) { client, _ in
            // The samples must hold data, or the schema check would pass on empty arrays.
            let search = try await json(client, "/api/v1/search?q=water")
            let rates = try await json(client, "/api/v1/rates?date=2026-05-24")
            let history = try await json(client, "/api/v1/rates/KZT/history?from=2026-01-01&to=2026-12-31")
            #expect((search["results"]?.array?.count ?? 0) > 0)
            #expect((rates["rates"]?.array?.count ?? 0) > 0)
            #expect((history["points"]?.array?.count ?? 0) > 0)
        }
    }

    @Test(arguments: [
        (#"{"a": "x"}"#, "missing"),
        (#"{"a": "x", "b": 1, "c": true}"#, "not in the schema"),
        (#"{"a": 3, "b": 1}"#, "not of type"),
        (#"{"a": "x", "b": null}"#, "not of type"),
        (#"{"a": "x", "b": 1.5}"#, "not of type"),
        (#"{"a": "x", "b": -1}"#, "below the minimum"),
        (#"{"a": "x", "b": 1, "d": "2025-02-08 09:00"}"#, "not a date-time"),
        (#"{"a": "x", "b": 1, "e": ["KZ", "ZZ"]}"#, "not one of"),
        (#"{"a": "x", "b": 1, "n": "y"}"#, "not of type"),
    ])
    func checkerCatchesEachKindOfMismatch(sample: String, problem: String) throws {
        let document = try JSONValue.parse(#"""
            {"components": {"schemas": {"Code": {"type": "string", "enum": ["KZ", "UZ"]}}},
             "schema": {"type": "object", "required": ["a", "b"], "additionalProperties": false, "properties": {
                "a": {"type": ["string", "null"], "description": "x"}, "b": {"type": "integer", "minimum": 0},
                "d": {"type": "string", "format": "date-time"}, "e": {"type": "array", "items": {"$ref": "#/components/schemas/Code"}},
                "n": {"type": ["number", "null"]}}}}
            """#)
        let checker = JSONSchemaChecker(document: document)
        let schema = try #require(document["schema"])
        let problems = checker.problems(try JSONValue.parse(sample), against: schema)
        #expect(problems.contains { $0.contains(problem) }, "\(sample) gave \(problems)")
        let good = try JSONValue.parse(#"{"a": null, "b": 2, "d": "2025-02-08T09:00:00Z", "e": ["KZ"], "n": null}"#)
        #expect(checker.problems(good, against: schema).isEmpty)
    }

    // MARK: - Helpers

    private func json(_ client: any TestClientProtocol, _ path: String) async throws -> JSONValue {
        let response = try await client.get(path)
        #expect(response.status == .ok, "\(path): \(response.body.prefix(200))")
        return try JSONValue.parse(response.body)
    }

    /// total, page, per_page, pages: the pagination numbers in the order clients read them.
    private func meta(_ list: JSONValue) -> [Int?] {
        [list["total"]?.int, list["page"]?.int, list["per_page"]?.int, list["pages"]?.int]
    }

    @Test func articlesRevalidateWithAnETagAndKeepCORSOn304() async throws {
        try await withSite(demo: true) { client, _ in
            let first = try await client.get("/api/v1/articles?country=KZ")
            let etag = try #require(first.headers[.eTag])
            let again = try await client.get("/api/v1/articles?country=KZ", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.headers[.accessControlAllowOrigin] == "*")
            #expect(again.body.isEmpty)
        }
    }
}

import CaravanCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Every word form: prefixes as written, suggestions for every word")
struct WordFormsTests {
    static let stories = [
        story("election", title: "Election day set", day: 1, body: "The election will be held in March."),
        story("elections", title: "Local elections", day: 2, body: "Elections to city councils follow."),
        story("electing", title: "Electing a speaker", day: 3, body: "Parliament is electing a new speaker."),
        story("electric", title: "Electric buses", day: 4, body: "Almaty orders electric buses."),
        story("prices", title: "Oil prices rise", day: 5, body: "Oil prices rose as the prices of gas fell."),
        story("prises", title: "Market notes", day: 6, body: "Traders spoke of prises and bids at the oil exchange."),
    ] + (10..<40).map { story("filler\($0)", title: "Grain prices \($0)", day: $0, body: "Grain prices held steady.") }

    /// The ids of a search's results, in order, from the API.
    static func ids(_ client: any TestClientProtocol, _ query: String) async throws -> [String] {
        let api = try await client.get("/api/v1/search?q=\(FormEncoding.escape(query))&per_page=50")
        let json = try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as! [String: Any]
        return (json["results"] as! [[String: Any]]).map { $0["id"] as! String }
    }

    @Test(arguments: [
        ("electi*", ["election", "elections", "electing"], ["electric"]),
        ("electio*", ["election", "elections"], ["electric"]),
        ("electr*", ["electric"], ["election", "elections", "electing"]),
        ("elect*", ["election", "elections", "electing", "electric"], ["prices"]),
        ("oil -electi*", ["prices", "prises"], ["election"]),
    ])
    func aPrefixMatchesTheWordsAsWritten(query: String, found: [String], notFound: [String]) async throws {
        try await withSite(stories: Self.stories) { client, _ in
            let ids = try await Self.ids(client, query)
            for id in found { #expect(ids.contains(id), "\(query) misses \(id)") }
            for id in notFound { #expect(!ids.contains(id), "\(query) finds \(id)") }
        }
    }

    @Test func thePrefixsFormsAreMarkedInThePassage() async throws {
        try await withSite(stories: Self.stories) { client, _ in
            let page = try await client.get("/search?q=electi*")
            for form in ["Election", "Elections", "Electing", "election", "electing"] {
                #expect(page.body.contains("<mark>\(form)</mark>"), "\(form) is not marked")
            }
            #expect(!page.body.contains("<mark>Electric</mark>"))
            #expect(page.body.contains("value=\"electi*\""))
        }
    }

    @Test(arguments: [
        ("oil prises", "oil prices"),
        ("lection", "election"),
        ("lection day", "election day"),
        ("plection", "election"),
        ("eelection", "election"),
        ("rices", "prices"),
        ("Oil prcies", "Oil prices"),
        ("grain pirces held", "grain prices held"),
    ])
    func didYouMeanCorrectsEveryWordAndTheFirstLetter(typed: String, suggested: String) async throws {
        try await withSite(stories: Self.stories) { client, _ in
            let api = try await client.get("/api/v1/search?q=\(FormEncoding.escape(typed))")
            let json = try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as! [String: Any]
            #expect(json["suggestion"] as? String == suggested, "\(typed)")
            let page = try await client.get("/search?q=\(FormEncoding.escape(typed).replacingOccurrences(of: "%20", with: "+"))")
            #expect(page.body.contains("Did you mean <a href=\"/search?q=\(FormEncoding.escape(suggested))\">\(suggested)</a>?"))
        }
    }

    @Test(arguments: ["oil prices", "grain", "electric buses", "election", "prices of gas"])
    func wordsTheArchiveKnowsWellGetNoSuggestion(typed: String) async throws {
        try await withSite(stories: Self.stories) { client, _ in
            let api = try await client.get("/api/v1/search?q=\(FormEncoding.escape(typed))")
            let json = try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as! [String: Any]
            #expect(json["suggestion"] is NSNull, "\(typed) got \(json["suggestion"] ?? "")")
        }
    }
}

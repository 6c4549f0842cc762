import CaravanCore
import CaravanSearch
import Foundation
import Testing

@testable import CaravanStorage
@testable import CaravanWeb

/// The search API writes its JSON by hand for speed; here it must equal, byte for byte, what the JSON encoder the
/// other endpoints use makes of the same value.
@Suite("Search JSON written directly")
struct SearchJSONWriterTests {
    static let awkward = [
        "", "plain", "quote \" backslash \\ slash / end", "tab\tline\nreturn\rfeed\u{0C}back\u{08}",
        String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }), "\u{7F} del", "Öskemen Алматы 中文 🌍 e\u{301}",
        "\u{2028}\u{2029} separators", "<mark>html</mark> &amp; 'single'",
    ]

    static func results(_ text: String, total: Int, suggestion: String?, hits: Int) -> SearchResults {
        let parsed = ParsedQuery.parse(text)
        var results = SearchResults.empty(parsed, reason: nil, page: 2, perPage: 3)
        results.range = ResultRange(total: total, page: 2, perPage: 3)
        results.hits = (0..<hits).map { n in
            let text = awkward[n % awkward.count]
            return SearchHit(
                teaser: Teaser(
                    id: Article.ID("id-\(n)\(text)"), slug: "slug-\(n)", title: "Title \(text)", excerpt: text,
                    published: n % 2 == 0 ? Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 86_400) : nil,
                    section: n % 3 == 0 ? nil : Section(name: "Economy \(text)", slug: "economy"),
                    countries: Array(Country.allCases.prefix(n % 4)), author: nil),
                titleHTML: "T", snippetHTML: "snippet <mark>\(text)</mark>", matchedAll: n % 2 == 0)
        }
        results.countryFacets = [.kazakhstan: 3, .uzbekistan: 12, .region: 1]
        results.yearFacets = [1987: 40, 2024: 2, 999: 1]
        results.suggestion = suggestion
        return results
    }

    @Test(arguments: awkward) func sameBytesAsTheEncoder(_ text: String) throws {
        for (hits, suggestion) in [(0, nil), (1, "election"), (12, text)] as [(Int, String?)] {
            let json = SearchJSON(Self.results(text, total: hits * 7, suggestion: suggestion, hits: hits), text: text)
            let encoded = Array(try JSONBody.encoder.encode(json))
            #expect(json.jsonBytes() == encoded, "\(String(decoding: json.jsonBytes(), as: UTF8.self))")
        }
    }
}

import CaravanCore
import CaravanSearch
import CaravanStorage
import Foundation
import Hummingbird

/// The JSON API under /api/v1.
struct APIController: Sendable {
    let index: any SearchIndex
    let configuration: SiteConfiguration

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/v1/search") { request, _ in
            let search = try SearchParameters.request(from: request, configuration: configuration)
            let results = try await index.search(search)
            if results.range.isPastEnd {
                throw HTTPError(
                    .notFound, message: "page \(search.page) is past the last page (\(results.range.pages)) of this search")
            }
            return JSONBody.response(SearchJSON(results, text: search.text))
        }
    }
}

/// JSON answers with the content type and encoder settings every endpoint shares.
enum JSONBody {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .accessControlAllowOrigin: "*"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()
}

/// CONTRACT's search object, shared by the API and `caravan search --json`.
public struct SearchJSON: Encodable, Sendable {
    public struct Result: Encodable, Sendable {
        let id: String
        let slug: String
        let url: String
        let title: String
        let snippet: String
        let published: String?
        let countries: [String]
        let section: String?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(slug, forKey: .slug)
            try container.encode(url, forKey: .url)
            try container.encode(title, forKey: .title)
            try container.encode(snippet, forKey: .snippet)
            try container.encode(published, forKey: .published)
            try container.encode(countries, forKey: .countries)
            try container.encode(section, forKey: .section)
        }

        enum CodingKeys: String, CodingKey { case id, slug, url, title, snippet, published, countries, section }
    }

    let query: String
    let total: Int
    let page: Int
    let perPage: Int
    let pages: Int
    let first: Int
    let last: Int
    let results: [Result]
    let countryFacets: [String: Int]
    let yearFacets: [String: Int]
    let suggestion: String?

    public init(_ results: SearchResults, text: String) {
        query = text
        total = results.range.total
        page = results.range.page
        perPage = results.range.perPage
        pages = results.range.pages
        first = results.range.first
        last = results.range.last
        self.results = results.hits.map { hit in
            Result(
                id: hit.teaser.id.rawValue, slug: hit.teaser.slug, url: SiteRoute.article(slug: hit.teaser.slug).path,
                title: hit.teaser.title, snippet: hit.snippetHTML, published: hit.teaser.published.map(DateLine.iso8601),
                countries: hit.teaser.countries.map(\.code), section: hit.teaser.section?.name)
        }
        countryFacets = Dictionary(uniqueKeysWithValues: results.countryFacets.map { ($0.key.code, $0.value) })
        yearFacets = Dictionary(uniqueKeysWithValues: results.yearFacets.map { (String($0.key), $0.value) })
        suggestion = results.suggestion
    }

    enum CodingKeys: String, CodingKey {
        case query, total, page, perPage = "per_page", pages, first, last, results, facets, suggestion
    }

    enum FacetKeys: String, CodingKey { case countries, years }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(query, forKey: .query)
        try container.encode(total, forKey: .total)
        try container.encode(page, forKey: .page)
        try container.encode(perPage, forKey: .perPage)
        try container.encode(pages, forKey: .pages)
        try container.encode(first, forKey: .first)
        try container.encode(last, forKey: .last)
        try container.encode(results, forKey: .results)
        var facets = container.nestedContainer(keyedBy: FacetKeys.self, forKey: .facets)
        try facets.encode(countryFacets, forKey: .countries)
        try facets.encode(yearFacets, forKey: .years)
        try container.encode(suggestion, forKey: .suggestion)
    }

    /// The JSON text, as the command line prints it.
    public func jsonText() throws -> String {
        String(decoding: try JSONBody.encoder.encode(self), as: UTF8.self)
    }
}

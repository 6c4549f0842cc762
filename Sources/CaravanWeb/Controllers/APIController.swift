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
    struct Result: Encodable, Sendable {
        let id: String
        let slug: String
        let url: String
        let title: String
        let snippet: String
        @NullWhenAbsent var published: String?
        let countries: [String]
        @NullWhenAbsent var section: String?
    }

    /// Matching stories per country code and per year, for the whole query.
    struct Facets: Encodable, Sendable {
        let countries: [String: Int]
        let years: [String: Int]
    }

    let query: String
    let total: Int
    let page: Int
    let perPage: Int
    let pages: Int
    let first: Int
    let last: Int
    let results: [Result]
    let facets: Facets
    @NullWhenAbsent var suggestion: String?

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
        facets = Facets(
            countries: Dictionary(uniqueKeysWithValues: results.countryFacets.map { ($0.key.code, $0.value) }),
            years: Dictionary(uniqueKeysWithValues: results.yearFacets.map { (String($0.key), $0.value) }))
        suggestion = results.suggestion
    }

    enum CodingKeys: String, CodingKey {
        case query, total, page, perPage = "per_page", pages, first, last, results, facets, suggestion
    }

    /// The JSON text, as the command line prints it.
    public func jsonText() throws -> String {
        String(decoding: try JSONBody.encoder.encode(self), as: UTF8.self)
    }
}

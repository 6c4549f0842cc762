import CaravanCore
import CaravanSearch
import CaravanStorage
import Foundation
import HTTPTypes
import Hummingbird

/// The JSON API under /api/v1.
struct APIController: Sendable {
    let index: any SearchIndex
    let configuration: SiteConfiguration

    func addRoutes(to router: RouteTable) {
        let site = SiteAddress(configuration)
        router.get(Addresses.apiSearch) { request, _ in
            let search = try SearchParameters.request(from: request, configuration: configuration)
            let results = try await index.search(search)
            if results.range.isPastEnd {
                throw HTTPError(
                    .notFound, message: "page \(search.page) is past the last page (\(results.range.pages)) of this search")
            }
            return JSONBody.response(
                bytes: SearchJSON(results, text: search.text).jsonBytes(),
                pages: APIRoute.pageLinks(answering: request, range: results.range, site: site))
        }
    }
}

/// JSON answers with the content type and encoder settings every endpoint shares.
enum JSONBody {
    static let link = HTTPField.Name("Link")!

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, pages: String? = nil) -> Response {
        response(bytes: (try? encoder.encode(value)).map(Array.init) ?? Array("{}".utf8), status: status, pages: pages)
    }

    static func response(bytes data: [UInt8], status: HTTPResponse.Status = .ok, pages: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .accessControlAllowOrigin: "*"]
        if let pages {
            headers[Self.link] = pages
            // A script on another origin reads only the headers it is told it may.
            headers[.accessControlExposeHeaders] = "Link"
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()
}

/// The search answer clients read, shared by the API and `caravan search --json`.
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
        String(decoding: jsonBytes(), as: UTF8.self)
    }
}

extension SearchJSON {
    /// The JSON bytes, written directly: what `JSONBody.encoder` makes of this value, byte for byte (a test holds the
    /// two to that), at a fraction of the cost, because every search the API answers ends here.
    public func jsonBytes() -> [UInt8] {
        let json = JSONWriter()
        json.object {
            json.member("facets") {
                json.object {
                    json.member("countries") { json.counts(facets.countries) }
                    json.member("years") { json.counts(facets.years) }
                }
            }
            json.member("first") { json.number(first) }
            json.member("last") { json.number(last) }
            json.member("page") { json.number(page) }
            json.member("pages") { json.number(pages) }
            json.member("per_page") { json.number(perPage) }
            json.member("query") { json.string(query) }
            json.member("results") {
                json.array(results) { result in
                    json.object {
                        json.member("countries") { json.array(result.countries) { json.string($0) } }
                        json.member("id") { json.string(result.id) }
                        json.member("published") { json.string(result.published) }
                        json.member("section") { json.string(result.section) }
                        json.member("slug") { json.string(result.slug) }
                        json.member("snippet") { json.string(result.snippet) }
                        json.member("title") { json.string(result.title) }
                        json.member("url") { json.string(result.url) }
                    }
                }
            }
            json.member("suggestion") { json.string(suggestion) }
            json.member("total") { json.number(total) }
        }
        return json.bytes
    }
}

/// Compact JSON as `JSONEncoder` writes it with `.withoutEscapingSlashes` and `.sortedKeys`; callers give members in
/// sorted order. A class, so that nested members can write to it from their closures.
final class JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init() {
        bytes.reserveCapacity(4_096)
    }

    func object(_ members: () -> Void) {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        members()
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// A member; its key (a field's name, a country code or a year) is plain ASCII, written without an escape check.
    func member(_ key: String, _ value: () -> Void) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: key.utf8)
        bytes.append(contentsOf: #"":"#.utf8)
        needsComma = false
        value()
        needsComma = true
    }

    func array<Element>(_ elements: [Element], _ write: (Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            needsComma = false
            write(element)
        }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A dictionary of counts, keys in order.
    func counts(_ counts: [String: Int]) {
        object {
            for key in counts.keys.sorted() { member(key) { number(counts[key]!) } }
        }
    }

    func number(_ value: Int) {
        bytes += String(value).utf8
    }

    func string(_ value: String?) {
        guard let value else {
            bytes += "null".utf8
            return
        }
        // One access to `bytes` for the whole string: per byte, a class property's exclusivity check costs more
        // than the escaping.
        Self.appendQuoted(value, to: &bytes)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendQuoted(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        // Runs of plain bytes are copied whole: most of a snippet needs no escape, and a byte at a time cost more
        // than the rest of the answer's writing.
        value.withUTF8 { utf8 in
            var run = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<index]))
                run = index + 1
                switch byte {
                case UInt8(ascii: "\""): bytes += #"\""#.utf8
                case UInt8(ascii: "\\"): bytes += #"\\"#.utf8
                case 0x08: bytes += #"\b"#.utf8
                case 0x0C: bytes += #"\f"#.utf8
                case 0x0A: bytes += #"\n"#.utf8
                case 0x0D: bytes += #"\r"#.utf8
                case 0x09: bytes += #"\t"#.utf8
                default:
                    bytes += #"\u00"#.utf8
                    bytes.append(hexDigits[Int(byte >> 4)])
                    bytes.append(hexDigits[Int(byte & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

import CaravanCore
import CaravanStorage
import Foundation
import Hummingbird

/// The content API (`/api/v1/articles`), the OpenAPI document that describes the whole API, and CORS preflight.
struct ContentAPIController: Sendable {
    let store: any ArticleStore
    let configuration: SiteConfiguration
    let openAPI: ByteBuffer
    let site: SiteAddress

    init(store: any ArticleStore, configuration: SiteConfiguration) throws {
        self.store = store
        self.configuration = configuration
        site = SiteAddress(configuration)
        openAPI = try OpenAPIDocument.load()
    }

    func addRoutes(to router: RouteTable) {
        router.get(Addresses.apiArticles, use: list)
        router.get(Addresses.apiArticle, use: article)
        router.get(Addresses.openAPI) { [openAPI] _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8", .accessControlAllowOrigin: "*"],
                body: ResponseBody(byteBuffer: openAPI))
        }
        // Every API address answers a CORS preflight; the trie router matches a method per path, not a catch-all.
        for address in Addresses.api {
            router.on(address.routerPath, method: .options) { request, _ in CORS.preflight(request) }
        }
    }

    @Sendable func list(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let query = try ArticleQueryParameters.query(from: request, configuration: configuration)
        let page = try await store.articles(query)
        if page.range.isPastEnd {
            throw HTTPError(
                .notFound, message: "page \(query.page) is past the last page (\(page.range.pages)) of these articles")
        }
        return JSONBody.response(
            ArticleListJSON(page),
            pages: APIRoute.pageLinks(answering: request, range: page.range, site: site))
    }

    @Sendable func article(_ request: Request, context: SiteRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        guard let article = try await store.article(slug: slug) else {
            throw HTTPError(.notFound, message: "no published article has the slug “\(slug.prefix(80))”")
        }
        return JSONBody.response(ArticleJSON(article, withBody: true))
    }
}

/// Cross-origin answers: the API is public and read-only, so any origin may GET it.
enum CORS {
    static let allowedMethods = "GET, OPTIONS"

    static func preflight(_ request: Request) -> Response {
        var headers: HTTPFields = [
            .accessControlAllowOrigin: "*", .accessControlAllowMethods: allowedMethods, .allow: allowedMethods,
            .accessControlMaxAge: "86400",
        ]
        // Echoing the asked-for headers is safe here: nothing the API answers depends on credentials.
        if let asked = request.headers[.accessControlRequestHeaders] {
            headers[.accessControlAllowHeaders] = asked
        }
        return Response(status: .noContent, headers: headers)
    }
}

/// The OpenAPI 3.1 document, a resource written by hand next to the stylesheet.
enum OpenAPIDocument {
    static func load() throws -> ByteBuffer {
        guard let url = Bundle.module.url(forResource: "Static/openapi", withExtension: "json")
            ?? Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Static")
        else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Static/openapi.json"]) }
        return ByteBuffer(bytes: try Data(contentsOf: url))
    }
}

/// The `/api/v1/articles` parameters, checked once, naming the bad one.
enum ArticleQueryParameters {
    static func query(from request: Request, configuration: SiteConfiguration) throws -> ArticleQuery {
        let values = QueryValues(request: request, configuration: configuration)
        var query = ArticleQuery(perPage: try values.perPage())
        query.page = try values.page()
        query.country = try values.country()
        query.sectionSlug = values.slug("section")
        query.tagSlug = values.slug("tag")
        query.authorSlug = values.slug("author")
        query.language = try values.language()
        (query.publishedFrom, query.publishedTo) = try values.publicationWindow()
        query.sort = try values.choice("sort", of: ArticleQuery.Sort.self) ?? query.sort
        return query
    }
}

/// The API's article object; the single-article answer adds `body_html`.
struct ArticleJSON: Encodable, Sendable {
    let id: String
    let slug: String
    let url: String
    let title: String
    let standfirst: String
    @NullWhenAbsent var published: String?
    let updated: String
    @NullWhenAbsent var author: String?
    @NullWhenAbsent var section: String?
    let countries: [String]
    let tags: [String]
    let language: String
    /// Only the single-story answer carries the body: absent, not null, in lists.
    let bodyHTML: String?

    init(_ article: Article, withBody: Bool) {
        id = article.id.rawValue
        slug = article.slug
        url = SiteRoute.article(slug: article.slug).path
        title = article.title
        standfirst = article.standfirst
        published = article.published.map(DateLine.iso8601)
        updated = DateLine.iso8601(article.updated)
        author = article.author?.name
        section = article.section?.name
        countries = article.countries.map(\.code)
        tags = article.tags.map(\.name)
        language = article.language.rawValue
        bodyHTML = withBody ? article.bodyHTML : nil
    }

    enum CodingKeys: String, CodingKey {
        case id, slug, url, title, standfirst, published, updated, author, section, countries, tags, language
        case bodyHTML = "body_html"
    }
}

/// The API's article list with its pagination numbers.
struct ArticleListJSON: Encodable, Sendable {
    let articles: [ArticleJSON]
    let total: Int
    let page: Int
    let perPage: Int
    let pages: Int

    init(_ page: ArticleQueryPage) {
        articles = page.articles.map { ArticleJSON($0, withBody: false) }
        total = page.range.total
        self.page = page.range.page
        perPage = page.range.perPage
        pages = page.range.pages
    }

    enum CodingKeys: String, CodingKey {
        case articles, total, page, perPage = "per_page", pages
    }
}

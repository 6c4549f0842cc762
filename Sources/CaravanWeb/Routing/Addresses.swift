import CaravanCore
import Foundation

/// Every address the server answers, each written once. Controllers register their handlers by these, and the
/// route enums (`SiteRoute`, `FeedRoute`, `SitemapRoute`, `NewsroomRoute`) print their links from them.
enum Addresses {
    // The reader's site.
    static let home: Address = "/"
    static let article: Address = "/articles/:slug"
    static let country: Address = "/countries/:slug"
    static let section: Address = "/sections/:slug"
    static let tag: Address = "/tags/:slug"
    static let author: Address = "/authors/:slug"
    static let search: Address = "/search"
    static let rates: Address = "/rates"
    static let ratesCSV: Address = "/rates.csv"
    static let stylesheet: Address = "/static/caravan.css"
    static let newsroomScript: Address = "/static/newsroom.js"
    /// A photograph's file: `original.jpg`, or one width in one format (`640.webp`).
    static let mediaFile: Address = "/media/:file/:name"

    // Feeds: each listing's address with the format's file name after it; the latest stories' are at the top.
    static func feed(of listing: Address, _ format: FeedFormat) -> Address {
        guard let feed = feeds[FeedKey(page: listing, format: format)] else { preconditionFailure("\(listing) has no feeds") }
        return feed
    }
    /// The pages that have feeds, in the order their feeds are registered.
    static let syndicated: [Address] = [home, country, section, tag, author, search]

    private struct FeedKey: Hashable {
        let page: Address
        let format: FeedFormat
    }

    /// Made once: feed links are printed in every page's head.
    private static let feeds: [FeedKey: Address] = Dictionary(
        uniqueKeysWithValues: syndicated.flatMap { page in
            FeedFormat.allCases.map { format in
                (
                    FeedKey(page: page, format: format),
                    page == home ? Address(stringLiteral: "/" + format.fileName) : page.appending(format.fileName)
                )
            }
        })

    // Sitemaps and robots.
    static let sitemapIndex: Address = "/sitemap.xml"
    static let sitemap: Address = "/sitemaps/:file"
    static let robots: Address = "/robots.txt"

    // The JSON API.
    static let apiSearch: Address = "/api/v1/search"
    static let apiArticles: Address = "/api/v1/articles"
    static let apiArticle: Address = "/api/v1/articles/:slug"
    static let apiRates: Address = "/api/v1/rates"
    static let apiRateHistory: Address = "/api/v1/rates/:currency/history"
    static let openAPI: Address = "/api/openapi.json"
    /// What every API address begins with: errors below it are answered in JSON.
    static let apiPrefix = "/api/"
    /// The API's addresses, which answer CORS preflights.
    static let api: [Address] = [openAPI, apiSearch, apiArticles, apiArticle, apiRates, apiRateHistory]

    // Operations.
    static let health: Address = "/healthz"
    static let metrics: Address = "/metrics"

    // The newsroom: every address below `newsroom`, which is also its cookies' path.
    static let newsroom: Address = "/admin"
    static let signIn: Address = "/admin/login"
    static let signOut: Address = "/admin/logout"
    static let invitation: Address = "/admin/invitations/:token"
    static let stories: Address = "/admin/articles"
    static let newStory: Address = "/admin/articles/new"
    static let story: Address = "/admin/articles/:id"
    static let revisions: Address = "/admin/articles/:id/revisions"
    static let compare: Address = "/admin/articles/:id/compare"
    static let restore: Address = "/admin/articles/:id/revisions/:number/restore"
    static let people: Address = "/admin/people"
    static let invitations: Address = "/admin/people/invitations"
    static let role: Address = "/admin/people/:id/role"
    static let mediaLibrary: Address = "/admin/media"
    static let mediaItem: Address = "/admin/media/:id"
    static let mediaDelete: Address = "/admin/media/:id/delete"
    static let mediaReplace: Address = "/admin/media/:id/replace"

    /// Every address above, feeds included: what the router must hold, no more and no less.
    static var all: [Address] {
        [home, article, country, section, tag, author, search, rates, ratesCSV, stylesheet, newsroomScript, mediaFile]
            + syndicated.flatMap { page in FeedFormat.allCases.map { feed(of: page, $0) } }
            + [sitemapIndex, sitemap, robots] + api + [health, metrics]
            + [
                newsroom, signIn, signOut, invitation, stories, newStory, story, revisions, compare, restore, people,
                invitations, role, mediaLibrary, mediaItem, mediaDelete, mediaReplace,
            ]
    }
}

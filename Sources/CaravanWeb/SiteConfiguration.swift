import CaravanCore
import Foundation

/// What an outlet sets about its site; everything has a sensible default for the demo.
public struct SiteConfiguration: Sendable {
    public var siteName: String
    /// Absolute base for links that leave the site (feeds, sitemaps, canonical URLs), without a trailing slash.
    public var siteURL: String
    /// The newsroom's time zone: date lines, "today", and dates written without an offset.
    public var timeZone: TimeZone
    /// Stories per listing page.
    public var perPage: Int
    public var tagline: String
    /// How the ticker prints a rate: `1 USD = 87.45 KGS` (the region's usual way) or `KGS/USD 0.01144`.
    public var tickerDirection: TickerDirection
    /// Whether feeds carry each story's whole text or only its summary.
    public var feedContent: FeedContent
    /// Bytes of rendered pages and feeds kept in memory (three quarters pages, a quarter feeds and sitemaps).
    public var pageCacheBytes = 64 << 20
    /// Bytes of the media library's files kept in memory, the most asked for first.
    public var mediaCacheBytes = 64 << 20
    /// Stories per story sitemap: the protocol's 50,000 URLs a file; tests lower it to get several files.
    var storiesPerSitemap = 50_000

    public enum TickerDirection: String, Sendable, CaseIterable {
        case perUSD = "per-usd"
        case usdPerUnit = "usd-per-unit"
    }

    public enum FeedContent: String, Sendable, CaseIterable {
        case full, summary
    }

    public init(
        siteName: String = "Caravan",
        siteURL: String = "http://127.0.0.1:8080",
        timeZone: TimeZone = TimeZone(identifier: "Asia/Almaty")!,
        perPage: Int = 10,
        tagline: String = "News from Central Asia",
        tickerDirection: TickerDirection = .perUSD,
        feedContent: FeedContent = .full
    ) {
        self.siteName = siteName
        self.siteURL = siteURL.hasSuffix("/") ? String(siteURL.dropLast()) : siteURL
        self.timeZone = timeZone
        self.perPage = perPage
        self.tagline = tagline
        self.tickerDirection = tickerDirection
        self.feedContent = feedContent
    }
}

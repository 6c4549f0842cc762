import CaravanCore
import CaravanMedia
import CaravanRates
import CaravanStorage
import CaravanWeb
import Foundation

/// What `caravan serve` was asked for, before defaults: each value from its flag, or nil when the flag was not given.
public struct ServeFlags: Sendable {
    public var database: String?
    public var databaseReplica: String?
    public var timeZone: String?
    public var host = "127.0.0.1"
    public var port = 8080
    public var demo = false
    public var siteURL: String?
    public var perPage: Int?
    public var ticker: String?
    public var feedContent: String?
    public var fetchRates = false
    public var ratesSchedule = RatesSchedule.standardTimes
    public var schedulerInterval = 20
    public var pageCacheMB: Int?
    public var idleTimeout: Int?
    public var uploadLimitMB: Int?

    public init() {}
}

/// Everything a server is started with, resolved from the flags, then the environment, then the defaults, and
/// checked: a value out of range is refused with a sentence that names the flag, the range and what was given.
public struct ServeConfiguration: Sendable {
    public var database: DatabaseURL
    public var replica: DatabaseURL?
    public var host: String
    /// Never 0: a free port is chosen before the site's address is made from it.
    public var port: Int
    public var site: SiteConfiguration
    public var idleTimeout: Duration
    public var schedulerInterval: Duration
    /// Nil unless the server fetches the banks' rates itself.
    public var ratesSchedule: RatesSchedule?
    /// Fill an empty database with the bundled stories and rates.
    public var demo: Bool
    /// What the media library accepts.
    public var media: MediaRules

    /// The address people reach the server at: 0.0.0.0 listens everywhere, and is reached on the loopback.
    public var shownHost: String { Self.shownHost(host) }

    static func shownHost(_ host: String) -> String { host == "0.0.0.0" ? "127.0.0.1" : host }

    /// `pickPort` is asked for a free port when the flags say 0.
    public init(
        _ flags: ServeFlags, environment: [String: String], pickPort: (String) throws -> Int = { _ in 8080 }
    ) throws {
        func number(_ flag: Int?, _ variable: String, default fallback: Int, name: String) throws -> Int {
            if let flag { return flag }
            guard let text = environment[variable] else { return fallback }
            guard let value = Int(text) else { throw ConfigurationProblem("\(variable) must be a whole number for --\(name), not \"\(text)\"") }
            return value
        }
        func within(_ range: ClosedRange<Int>, _ value: Int, _ name: String, unit: String = "") throws {
            guard range.contains(value) else {
                throw ConfigurationProblem("--\(name) must be from \(range.lowerBound) to \(range.upperBound)\(unit), not \(value)")
            }
        }

        let settings = try DatabaseSettings(
            database: flags.database, replica: flags.databaseReplica, timeZone: flags.timeZone, environment: environment)
        (database, replica) = (settings.database, settings.replica)
        let timeZone = settings.timeZone
        try within(0...65535, flags.port, "port")
        host = flags.host
        port = flags.port == 0 ? try pickPort(flags.host) : flags.port

        let perPage = try number(flags.perPage, "CARAVAN_PER_PAGE", default: 10, name: "per-page")
        try within(1...PageSize.maximum, perPage, "per-page")
        let tickerText = flags.ticker ?? environment["CARAVAN_TICKER"] ?? "per-usd"
        guard let direction = SiteConfiguration.TickerDirection(rawValue: tickerText) else {
            throw ConfigurationProblem("--ticker must be per-usd or usd-per-unit, not \(tickerText)")
        }
        let feedText = flags.feedContent ?? environment["CARAVAN_FEED_CONTENT"] ?? "full"
        guard let feeds = SiteConfiguration.FeedContent(rawValue: feedText) else {
            throw ConfigurationProblem("--feed-content must be full or summary, not \(feedText)")
        }
        let siteURL = flags.siteURL ?? environment["CARAVAN_SITE_URL"] ?? "http://\(Self.shownHost(host)):\(port)"
        site = SiteConfiguration(
            siteURL: siteURL, timeZone: timeZone, perPage: perPage, tickerDirection: direction, feedContent: feeds)
        let cacheMB = try number(flags.pageCacheMB, "CARAVAN_PAGE_CACHE_MB", default: 64, name: "page-cache-mb")
        try within(1...65_536, cacheMB, "page-cache-mb")
        site.pageCacheBytes = cacheMB << 20
        let idleSeconds = try number(flags.idleTimeout, "CARAVAN_IDLE_TIMEOUT", default: 30, name: "idle-timeout")
        try within(1...3600, idleSeconds, "idle-timeout", unit: " seconds")
        idleTimeout = .seconds(idleSeconds)
        let schedule: RatesSchedule
        do {
            schedule = try RatesSchedule(parsing: flags.ratesSchedule, timeZone: timeZone)
        } catch {
            throw ConfigurationProblem("--rates-schedule: \(error)")
        }
        ratesSchedule = flags.fetchRates ? schedule : nil
        try within(1...3600, flags.schedulerInterval, "scheduler-interval", unit: " seconds")
        schedulerInterval = .seconds(flags.schedulerInterval)
        demo = flags.demo
        let uploadMB = try number(flags.uploadLimitMB, "CARAVAN_UPLOAD_LIMIT_MB", default: 25, name: "upload-limit-mb")
        try within(1...200, uploadMB, "upload-limit-mb", unit: " MB")
        media = MediaRules(maximumBytes: uploadMB << 20)
    }
}

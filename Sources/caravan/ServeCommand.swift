import ArgumentParser
import CaravanCore
import CaravanDemo
import CaravanRates
import CaravanStorage
import CaravanWeb
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the site.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one and prints it.")
    var port = 8080

    @Flag(help: "Fill an empty database with the bundled demo stories.")
    var demo = false

    @Option(help: "Absolute base URL of the site for feeds and canonical links (default: CARAVAN_SITE_URL, else http://HOST:PORT).")
    var siteURL: String?

    @Option(help: "Stories per listing page (default: CARAVAN_PER_PAGE, else 10).")
    var perPage: Int?

    @Option(help: "How the ticker prints rates: per-usd (1 USD = 87.45 KGS) or usd-per-unit (KGS/USD 0.01144); default CARAVAN_TICKER, else per-usd.")
    var ticker: String?

    @Option(help: "What feeds carry: full (the whole story) or summary; default CARAVAN_FEED_CONTENT, else full.")
    var feedContent: String?

    @Flag(help: "Fetch exchange rates from the national banks in the background (off by default: no network requests).")
    var fetchRates = false

    @Option(help: "With --fetch-rates: times of day in the newsroom's time zone to fetch at, comma-separated; it also fetches once at start.")
    var ratesSchedule = RatesSchedule.standardTimes

    @Option(help: "Seconds between the scheduled-publishing job's runs (a scheduled story goes out within this long of its time).")
    var schedulerInterval = 20

    @Option(help: "Megabytes of rendered pages and feeds kept in memory (default: CARAVAN_PAGE_CACHE_MB, else 64).")
    var pageCacheMB: Int?

    @Option(help: "Seconds a connection may wait for its next request's headers, idle or sending slowly, before it is closed (default: CARAVAN_IDLE_TIMEOUT, else 30).")
    var idleTimeout: Int?

    func run() async throws {
        Logs.bootstrap()
        let logger = Logger(label: "caravan")
        try await reportingFailures {
            guard (0...65535).contains(port) else { throw CommandFailure("--port must be from 0 to 65535, not \(port)") }
            // Feeds and sitemaps need the real address, so a free port is chosen here rather than by the server.
            let port = port == 0 ? try FreePort.pick(host: host) : port
            let environment = ProcessInfo.processInfo.environment
            let timeZone = try global.resolvedTimeZone()
            let pageSize = perPage ?? environment["CARAVAN_PER_PAGE"].flatMap(Int.init) ?? 10
            guard (1...PageSize.maximum).contains(pageSize) else {
                throw CommandFailure("--per-page must be from 1 to \(PageSize.maximum), not \(pageSize)")
            }
            let tickerText = ticker ?? environment["CARAVAN_TICKER"] ?? "per-usd"
            guard let direction = SiteConfiguration.TickerDirection(rawValue: tickerText) else {
                throw CommandFailure("--ticker must be per-usd or usd-per-unit, not \(tickerText)")
            }
            let feedText = feedContent ?? environment["CARAVAN_FEED_CONTENT"] ?? "full"
            guard let feeds = SiteConfiguration.FeedContent(rawValue: feedText) else {
                throw CommandFailure("--feed-content must be full or summary, not \(feedText)")
            }
            var configuration = SiteConfiguration(
                siteURL: siteURL ?? environment["CARAVAN_SITE_URL"] ?? "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)",
                timeZone: timeZone, perPage: pageSize, tickerDirection: direction, feedContent: feeds)
            let cacheMB = pageCacheMB ?? environment["CARAVAN_PAGE_CACHE_MB"].flatMap(Int.init) ?? 64
            guard (1...65_536).contains(cacheMB) else {
                throw CommandFailure("--page-cache-mb must be from 1 to 65536, not \(cacheMB)")
            }
            configuration.pageCacheBytes = cacheMB << 20
            let idleSeconds = idleTimeout ?? environment["CARAVAN_IDLE_TIMEOUT"].flatMap(Int.init) ?? 30
            guard (1...3600).contains(idleSeconds) else {
                throw CommandFailure("--idle-timeout must be from 1 to 3600 seconds, not \(idleSeconds)")
            }
            let schedule: RatesSchedule
            do {
                schedule = try RatesSchedule(parsing: ratesSchedule, timeZone: timeZone)
            } catch {
                throw CommandFailure("--rates-schedule: \(error)")
            }
            guard (1...3600).contains(schedulerInterval) else {
                throw CommandFailure("--scheduler-interval must be from 1 to 3600 seconds, not \(schedulerInterval)")
            }
            let shownHost = host == "0.0.0.0" ? "127.0.0.1" : host
            // The database (and PostgreSQL's connection pool) lives exactly as long as the server.
            try await global.withStores { stores in
                let desk = RateDesk(store: stores.rates, timeZone: timeZone)
                if demo {
                    let loaded = try await DemoContent.installIfEmpty(into: stores.articles, timeZone: timeZone)
                    if loaded > 0 { logger.info("loaded \(loaded) demo stories") }
                    let rates = try await DemoContent.installRatesIfEmpty(into: desk, store: stores.rates, fetchedAt: Date())
                    if rates > 0 { logger.info("loaded \(rates) demo rates") }
                }
                let newsroom = NewsroomDependencies(stories: stores.newsroom, accounts: stores.accounts, sessions: stores.sessions)
                // The client exists only when fetching is on, and is shut down once the server has stopped.
                let client = fetchRates ? RateFetcher.makeHTTPClient() : nil
                // Every instance runs the scheduler; the store publishes each story once however many run.
                var services: [any Service] = [
                    ScheduledPublisher(stories: stores.newsroom, interval: .seconds(schedulerInterval), logger: logger)
                ]
                if let client {
                    services.append(
                        RatesPoller(fetcher: RateFetcher(client: client, desk: desk), schedule: schedule, lease: stores.lease))
                }
                // The search index in memory loads beside the server; FTS5 answers the searches that come first.
                Task.detached(priority: .utility) { [search = stores.search, logger] in
                    let started = ContinuousClock.now
                    do {
                        try await search.prepare()
                        logger.info("search index ready in \(ContinuousClock.now - started)")
                    } catch {
                        logger.warning("search index not loaded (FTS5 answers instead): \(error)")
                    }
                }
                do {
                    let app = try await buildApplication(
                        SiteDependencies(
                            store: stores.articles, search: stores.search, rates: desk, configuration: configuration,
                            logger: logger, newsroom: newsroom, checkHealth: stores.checkHealth),
                        server: ServerOptions(host: host, port: port, idleTimeout: .seconds(idleSeconds)) { boundPort in
                            // Written straight to the descriptor so that a script waiting on a pipe sees it at once.
                            FileHandle.standardOutput.write(Data("Caravan is serving http://\(shownHost):\(boundPort)/\n".utf8))
                        },
                        services: services)
                    do {
                        try await app.runService()
                    } catch {
                        throw CommandFailure("could not serve on \(host):\(port): \(Self.explain(error))")
                    }
                } catch {
                    try? await client?.shutdown()
                    throw error
                }
                try await client?.shutdown()
            }
        }
    }

    /// NIO's bind errors name the system call; people want to know the port is taken.
    static func explain(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("Address already in use") { return "the address is already in use (is another server running?)" }
        if text.contains("Permission denied") { return "permission denied (ports below 1024 need privileges)" }
        if text.contains("Cannot assign requested address") { return "this machine has no such address" }
        return text
    }
}

/// Asks the system for a free TCP port on the host by binding port 0 and reading back what it gave.
enum FreePort {
    static func pick(host: String) throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw CommandFailure("cannot open a socket to find a free port") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else {
            throw CommandFailure("--host must be an IPv4 address or localhost to use --port 0, not \(host)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic -> Int32 in
                guard bind(descriptor, generic, length) == 0 else { return -1 }
                return getsockname(descriptor, generic, &length)
            }
        }
        guard bound == 0 else { throw CommandFailure("cannot find a free port on \(host)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

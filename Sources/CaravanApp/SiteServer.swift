import AsyncHTTPClient
import CaravanCore
import CaravanDemo
import CaravanMedia
import CaravanRates
import CaravanStorage
import CaravanWeb
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The composition root: the one place that chooses the engine, makes the stores and the background services, and
/// hands them to the site. `caravan serve` is this and nothing else.
public enum SiteServer {
    /// Opens the database, serves until the process is told to stop, and closes everything in order. `onRunning`
    /// hears the address once the socket is bound.
    public static func run(
        _ configuration: ServeConfiguration, logger: Logger, onRunning: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws {
        // The database (and PostgreSQL's connection pool) lives exactly as long as the server.
        try await Stores.with(configuration.database, replica: configuration.replica, timeZone: configuration.site.timeZone) {
            stores in
            // The client exists only when fetching is on, and is shut down once the server has stopped.
            let client = configuration.ratesSchedule == nil ? nil : RateFetcher.makeHTTPClient()
            do {
                let app = try await application(configuration, stores: stores, client: client, logger: logger, onRunning: onRunning)
                do {
                    try await app.runService()
                } catch {
                    throw ConfigurationProblem(
                        "could not serve on \(configuration.host):\(configuration.port): \(explain(error))")
                }
            } catch {
                try? await client?.shutdown()
                throw error
            }
            try await client?.shutdown()
        }
    }

    /// The application over open stores: demo content if asked for, the scheduler, the rates poller when a client is
    /// given, the search index loading beside it, and the site.
    public static func application(
        _ configuration: ServeConfiguration, stores: Stores, client: HTTPClient?, logger: Logger,
        onRunning: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        let timeZone = configuration.site.timeZone
        let desk = RateDesk(store: stores.rates, timeZone: timeZone)
        let media = MediaLibrary(store: stores.media, rules: configuration.media)
        if configuration.demo {
            // The photographs first: the demo stories name them.
            if try await stores.articles.count() == 0 {
                let photographs = try await DemoContent.installPhotographsIfEmpty(into: media)
                if photographs > 0 { logger.info("loaded \(photographs) demo photographs") }
            }
            let loaded = try await DemoContent.installIfEmpty(into: stores.articles, timeZone: timeZone, media: stores.media)
            if loaded > 0 { logger.info("loaded \(loaded) demo stories") }
            let rates = try await DemoContent.installRatesIfEmpty(into: desk, store: stores.rates, fetchedAt: Date())
            if rates > 0 { logger.info("loaded \(rates) demo rates") }
        }
        // Every instance runs the scheduler; the store publishes each story once however many run.
        var services: [any Service] = [
            ScheduledPublisher(stories: stores.newsroom, interval: configuration.schedulerInterval, logger: logger)
        ]
        if let client, let schedule = configuration.ratesSchedule {
            services.append(RatesPoller(fetcher: RateFetcher(client: client, desk: desk), schedule: schedule, lease: stores.lease))
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
        let newsroom = NewsroomDependencies(stories: stores.newsroom, accounts: stores.accounts, sessions: stores.sessions)
        let shownHost = configuration.shownHost
        return try await buildApplication(
            SiteDependencies(
                store: stores.articles, search: stores.search, rates: desk, configuration: configuration.site,
                logger: logger, newsroom: newsroom, media: media, redirects: stores.redirects,
                checkHealth: stores.checkHealth),
            server: ServerOptions(host: configuration.host, port: configuration.port, idleTimeout: configuration.idleTimeout) {
                boundPort in onRunning("http://\(shownHost):\(boundPort)/")
            },
            services: services)
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

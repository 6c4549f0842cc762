import CaravanCore
import CaravanMedia
import CaravanRates
import CaravanStorage
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Everything the site is made of, chosen by the caller: the composition root.
public struct SiteDependencies: Sendable {
    public var store: any ArticleStore
    public var search: any SearchIndex
    public var rates: RateDesk
    public var ticker: any TickerSource
    public var configuration: SiteConfiguration
    public var clock: @Sendable () -> Date
    public var logger: Logger
    /// The newsroom at /admin; nil serves the reader's site alone.
    public var newsroom: NewsroomDependencies?
    /// The media library: photographs uploaded in the newsroom and served at `/media/`; nil runs without one.
    public var media: MediaLibrary?
    /// The old site's addresses; nil answers every unknown address with the 404 page.
    public var redirects: (any RedirectStore)?
    /// Throws unless the database is the one opened and answers now (`/healthz`).
    public var checkHealth: @Sendable () async throws -> Void

    public init(
        store: any ArticleStore, search: any SearchIndex, rates: RateDesk, ticker: (any TickerSource)? = nil,
        configuration: SiteConfiguration = SiteConfiguration(),
        clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "caravan"),
        newsroom: NewsroomDependencies? = nil, media: MediaLibrary? = nil, redirects: (any RedirectStore)? = nil,
        checkHealth: (@Sendable () async throws -> Void)? = nil
    ) {
        self.redirects = redirects
        self.newsroom = newsroom
        self.media = media
        self.checkHealth = checkHealth ?? { [store] in _ = try await store.contentVersion() }
        self.store = store
        self.search = search
        self.rates = rates
        self.ticker = ticker ?? BoardTicker(desk: rates, direction: configuration.tickerDirection)
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }
}

/// Where and how the server listens.
public struct ServerOptions: Sendable {
    public var host: String
    public var port: Int
    /// A connection is closed when no request head has arrived for this long: idle keep-alive connections and
    /// clients that send their headers slowly alike.
    public var idleTimeout: Duration
    /// Called once the socket is bound, with the port actually bound (useful with port 0).
    public var onRunning: @Sendable (Int) async -> Void

    public init(
        host: String = "127.0.0.1", port: Int = 8080, idleTimeout: Duration = .seconds(30),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.idleTimeout = idleTimeout
        self.onRunning = onRunning
    }
}

/// The router with every route and middleware of the site.
public func buildRouter(_ dependencies: SiteDependencies) async throws -> Router<SiteRequestContext> {
    try await buildRouteTable(dependencies).router
}

/// Every route and middleware of the site, with the table of what was routed.
func buildRouteTable(_ dependencies: SiteDependencies) async throws -> RouteTable {
    let budget = dependencies.configuration.pageCacheBytes
    let renderer = try await PageRenderer.load()
    let stylesheet = try StaticAsset.stylesheet()
    let script = try StaticAsset.newsroomScript()
    let pages = PageResponder(
        store: dependencies.store, renderer: renderer, cache: PageCache(budget: budget / 4 * 3),
        configuration: dependencies.configuration,
        ticker: dependencies.ticker, stylesheetURL: SiteRoute.stylesheet(version: stylesheet.version).path,
        clock: dependencies.clock)
    // HEAD reaches the GET route of its address, whose HeadMiddleware drops the body.
    let router = RouteTable(router: Router(context: SiteRequestContext.self, options: .autoGenerateHeadEndpoints))
    let monitor = HealthMonitor()
    let allowed = AllowedMethods()
    router.add(middleware: RequestLogMiddleware(logger: dependencies.logger))
    router.add(middleware: RequestMetricsMiddleware())
    router.add(middleware: SecurityHeadersMiddleware(secureSite: dependencies.configuration.siteURL.hasPrefix("https:")))
    // Outside the error pages so they are compressed too; outside revalidation so it hashes the uncompressed bytes.
    router.add(middleware: CompressionMiddleware())
    // Inside compression, which leaves HEAD alone; outside the error pages, whose bodies it drops.
    router.add(middleware: HeadMiddleware())
    router.add(middleware: ErrorPageMiddleware(pages: pages, logger: dependencies.logger, monitor: monitor))
    // Inside the error pages: an old address that would be a 404 is answered with its redirect first.
    if let redirects = dependencies.redirects { router.add(middleware: RedirectMiddleware(store: redirects)) }
    router.add(middleware: MethodNotAllowedMiddleware(allowed: allowed))
    router.add(middleware: RevalidationMiddleware(pathPrefixes: [Addresses.apiSearch, Addresses.apiRates, Addresses.apiArticles].map { $0.path() }))
    _ = Telemetry.registry
    OperationsController(
        checkHealth: dependencies.checkHealth, monitor: monitor, logger: dependencies.logger, metrics: Telemetry.registry,
        stylesheet: stylesheet, script: script
    ).addRoutes(to: router)
    SiteController(
        store: dependencies.store, pages: pages, configuration: dependencies.configuration, redirects: dependencies.newsroom?.stories,
        media: dependencies.media?.store
    ).addRoutes(to: router)
    MediaController(store: dependencies.media?.store, cache: MediaFileCache(budget: dependencies.configuration.mediaCacheBytes))
        .addRoutes(to: router)
    if let newsroom = dependencies.newsroom {
        let desk = NewsroomDesk(
            dependencies: newsroom, media: dependencies.media, renderer: renderer, site: dependencies.configuration, stylesheetURL: pages.stylesheetURL,
            scriptURL: script.url,
            clock: dependencies.clock)
        // Registered by their whole addresses, which all begin /admin.
        let admin = router.group().add(middleware: NewsroomHeadersMiddleware(desk: desk))
        // Signing in, out and accepting an invitation are open; every other handler is behind the guard.
        SignInController(desk: desk).addRoutes(to: admin)
        StoryDeskController(desk: desk, store: dependencies.store)
            .addRoutes(to: admin.group(context: NewsroomRequestContext.self).add(middleware: NewsroomGuard(desk: desk)))
        MediaDeskController(desk: desk)
            .addRoutes(to: admin.group(context: NewsroomRequestContext.self).add(middleware: NewsroomGuard(desk: desk)))
        PeopleController(desk: desk)
            .addRoutes(
                to: admin.group(context: NewsroomRequestContext.self)
                    .add(middleware: NewsroomGuard(desk: desk, role: .managesPeople)))
    }
    SearchController(
        index: dependencies.search, pages: pages, configuration: dependencies.configuration
    ).addRoutes(to: router)
    APIController(index: dependencies.search, configuration: dependencies.configuration).addRoutes(to: router)
    try ContentAPIController(store: dependencies.store, configuration: dependencies.configuration).addRoutes(to: router)
    let syndication = SyndicationResponder(store: dependencies.store, cache: PageCache(budget: budget / 4))
    FeedController(
        store: dependencies.store, index: dependencies.search, responder: syndication,
        configuration: dependencies.configuration, clock: dependencies.clock, media: dependencies.media?.store
    ).addRoutes(to: router)
    SitemapController(store: dependencies.store, responder: syndication, configuration: dependencies.configuration, clock: dependencies.clock)
        .addRoutes(to: router)
    RatesController(desk: dependencies.rates, pages: pages, configuration: dependencies.configuration, clock: dependencies.clock)
        .addRoutes(to: router)
    router.freeze(into: allowed)
    return router
}

/// The whole application, ready to run or to test.
public func buildApplication(
    _ dependencies: SiteDependencies, server: ServerOptions = ServerOptions(), services: [any Service] = []
) async throws -> some ApplicationProtocol {
    let router = try await buildRouter(dependencies)
    return Application(
        router: router,
        server: .http1(
            configuration: .init(
                idleTimeout: .init(server.idleTimeout),
                // Room for an over-long address to reach the router, which answers it with a readable 414.
                httpDecoderConfiguration: .init(maxHeaderFieldSize: 256 << 10, maxHeaderListSize: 256 << 10))),
        configuration: ApplicationConfiguration(address: .hostname(server.host, port: server.port), serverName: "Caravan"),
        services: services,
        onServerRunning: { channel in await server.onRunning(channel.localAddress?.port ?? server.port) },
        logger: dependencies.logger)
}

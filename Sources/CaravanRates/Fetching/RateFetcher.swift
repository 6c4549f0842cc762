import AsyncHTTPClient
import CaravanCore
import Foundation
import Logging
import NIOCore

/// Downloads the banks' live feeds, checks and parses them, and stores what they publish. A bank that fails leaves
/// the stored history exactly as it was; one bank's failure never stops the others.
public struct RateFetcher: Sendable {
    public struct Configuration: Sendable {
        /// Time one attempt (connection, headers and body) may take.
        public var requestTimeout: Duration
        public var retry: RetryPolicy
        /// Replaces a feed's origin, for example `http://127.0.0.1:8081/nbk`; the document path is appended.
        public var baseURLs: [RateSource: String]
        /// Answers longer than this are refused: a rates file is a few kilobytes.
        public var maxBodyBytes: Int
        /// Sent to banks that accept any client, so that they can see who we are.
        public var userAgent: String
        /// Sent to banks that refuse clients which do not look like a browser.
        public var browserUserAgent: String

        public init(requestTimeout: Duration = .seconds(20), retry: RetryPolicy = .standard,
                    baseURLs: [RateSource: String] = [:], maxBodyBytes: Int = 4 << 20,
                    userAgent: String = Configuration.caravanUserAgent,
                    browserUserAgent: String = Configuration.desktopBrowserUserAgent) {
            self.requestTimeout = requestTimeout
            self.retry = retry
            self.baseURLs = baseURLs
            self.maxBodyBytes = maxBodyBytes
            self.userAgent = userAgent
            self.browserUserAgent = browserUserAgent
        }

        public static let caravanUserAgent = "Caravan/1.0 (news site exchange-rate ticker)"
        public static let desktopBrowserUserAgent =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
    }

    public let configuration: Configuration
    let client: HTTPClient
    let desk: RateDesk
    let logger: Logger

    /// - Parameter client: owned by the caller, who shuts it down.
    public init(client: HTTPClient, desk: RateDesk, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "caravan.rates")) {
        self.client = client
        self.desk = desk
        self.configuration = configuration
        self.logger = logger
    }

    /// A client suited to the banks: follows a few redirects, gives up on a connection after 10 s.
    public static func makeHTTPClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .follow(max: 5, allowCycles: false)
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10), read: .seconds(20))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Fetches today's rates ("today" in the desk's time zone) from `sources`.
    public func fetch(_ sources: [RateSource] = RateSource.allCases, now: Date = Date()) async -> RateFetchReport {
        await fetch(sources, on: desk.today(now: now), fetchedAt: now)
    }

    /// Fetches the rates for `day` from every source at once; the report lists them in the order given.
    public func fetch(_ sources: [RateSource], on day: Day, fetchedAt: Date) async -> RateFetchReport {
        var unique: [RateSource] = []
        for source in sources where !unique.contains(source) { unique.append(source) }
        let reports = await withTaskGroup(of: SourceFetchReport.self, returning: [RateSource: SourceFetchReport].self) { group in
            for source in unique {
                group.addTask { await self.fetch(source, on: day, fetchedAt: fetchedAt) }
            }
            var done: [RateSource: SourceFetchReport] = [:]
            for await report in group { done[report.source] = report }
            return done
        }
        return RateFetchReport(day: day, sources: unique.compactMap { reports[$0] })
    }

    /// Fetches one bank's publication for `day` and stores it, or stores nothing and says why.
    public func fetch(_ source: RateSource, on day: Day, fetchedAt: Date) async -> SourceFetchReport {
        let feed = RateFeed.standard(for: source)
        var requests = 0
        var notes: [String] = []
        var publications: [BankPublication] = []
        do throws(RateFetchError) {
            for document in feed.documents(for: day) {
                do throws(RateFetchError) {
                    let read = try await self.read(document, in: feed, on: day)
                    requests += read.attempts
                    publications += read.publications
                } catch {
                    requests += error.attempts
                    guard !document.isRequired, !Task.isCancelled else { throw error }
                    notes.append("\(document.name) left out: \(error)")
                }
            }
            for publication in publications {
                for item in publication.ignored {
                    logger.debug("\(source.rawValue.uppercased()) \(publication.effectiveDate): ignored \(item)")
                }
            }
            let rates: [Rate]
            do {
                // One call, one transaction: either the whole publication is stored or none of it.
                rates = try await desk.store(publications, fetchedAt: fetchedAt)
            } catch {
                throw RateFetchError(.storage(detail: "\(error)"), source: source, url: "")
            }
            let days = Set(rates.map(\.effectiveDate)).sorted()
            return SourceFetchReport(source: source, requested: day, outcome: .stored(rates: rates.count, days: days),
                                     notes: notes, requests: requests)
        } catch {
            let (lastGood, stale) = await lastGoodRate(of: source, on: day)
            return SourceFetchReport(source: source, requested: day, outcome: .failed(error), notes: notes,
                                     requests: requests, lastGood: lastGood, lastGoodIsStale: stale)
        }
    }

    // MARK: - Steps

    /// The newest stored effective date from `source` and whether its schedule calls it stale on `day`.
    private func lastGoodRate(of source: RateSource, on day: Day) async -> (Day?, Bool) {
        guard let rates = try? await desk.store.recent(through: day, days: RateDesk.window),
              let newest = rates.filter({ $0.source == source }).map(\.effectiveDate).max()
        else { return (nil, false) }
        return (newest, PublicationSchedule.standard(for: source).isStale(effectiveDate: newest, asOf: day))
    }

    func address(of document: RateFeed.Document, in feed: RateFeed) -> String {
        var base = configuration.baseURLs[feed.source] ?? feed.origin
        while base.hasSuffix("/") { base.removeLast() }
        return base + document.path
    }

    /// Downloads and parses one document, and checks that it is for the day asked (within the feed's window).
    /// A thrown error's `attempts` counts every request made for the document.
    private func read(_ document: RateFeed.Document, in feed: RateFeed, on day: Day)
        async throws(RateFetchError) -> (publications: [BankPublication], attempts: Int)
    {
        let url = address(of: document, in: feed)
        let download = try await self.download(url, feed: feed)
        do throws(RatePayloadError) {
            let publications = try RatePayloadParser.parsePublications(download.data, source: feed.source)
            for publication in publications { try feed.checkDate(of: publication, requested: day) }
            return (publications, download.attempts)
        } catch {
            throw RateFetchError(.payload(error), source: feed.source, url: url, attempts: download.attempts)
        }
    }

    /// Downloads one address, trying again with growing pauses after transient failures, within the retry budget.
    private func download(_ url: String, feed: RateFeed) async throws(RateFetchError) -> (data: Data, attempts: Int) {
        let policy = configuration.retry
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while true {
            attempt += 1
            let left = policy.totalBudget - (clock.now - start)
            let timeout = max(min(configuration.requestTimeout, left), .milliseconds(1))
            do throws(RateFetchError) {
                return (try await downloadOnce(url, feed: feed, timeout: timeout), attempt)
            } catch {
                let failure = error.with(attempts: attempt)
                let pause = policy.delay(afterAttempt: attempt)
                // Another attempt only if it would have a fair time to answer: one squeezed into the budget's last
                // milliseconds can only time out, and would hide the real failure behind "did not answer within 0 s".
                let fairAttempt = min(configuration.requestTimeout, .seconds(1))
                guard failure.isTransient, attempt < policy.maxAttempts,
                      clock.now - start + pause + fairAttempt <= policy.totalBudget else { throw failure }
                logger.debug("\(feed.source.rawValue.uppercased()) attempt \(attempt) failed, retrying in \(pause): \(failure)")
                do {
                    try await Task.sleep(for: pause)
                } catch {
                    throw RateFetchError(.cancelled, source: feed.source, url: url, attempts: attempt)
                }
            }
        }
    }

    private func downloadOnce(_ url: String, feed: RateFeed, timeout: Duration) async throws(RateFetchError) -> Data {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent",
                            value: feed.needsBrowserUserAgent ? configuration.browserUserAgent : configuration.userAgent)
        request.headers.add(name: "Accept", value: "application/xml, text/xml, application/json;q=0.9, */*;q=0.5")
        for (name, value) in feed.extraHeaders.sorted(by: { $0.key < $1.key }) {
            request.headers.add(name: name, value: value)
        }
        do {
            let response = try await client.execute(request, deadline: .now() + TimeAmount(timeout), logger: logger)
            guard (200...299).contains(response.status.code) else {
                // Read what little there is so the connection can be reused; its content does not matter.
                _ = try? await response.body.collect(upTo: 64 * 1024)
                throw RateFetchError(.status(code: Int(response.status.code), reason: response.status.reasonPhrase),
                                     source: feed.source, url: url)
            }
            let body = try await response.body.collect(upTo: configuration.maxBodyBytes)
            return Data(body.readableBytesView)
        } catch let error as RateFetchError {
            throw error
        } catch {
            throw RateFetchError(Self.classify(error, timeout: timeout, limit: configuration.maxBodyBytes),
                                 source: feed.source, url: url)
        }
    }

    /// Sorts a transport error into what a person needs to know: too slow, unreachable, or stopped.
    static func classify(_ error: any Error, timeout: Duration, limit: Int) -> RateFetchError.Kind {
        if error is CancellationError || Task.isCancelled { return .cancelled }
        if error is NIOTooManyBytesError { return .bodyTooLarge(limit: limit) }
        guard let client = error as? HTTPClientError else {
            let failure = ConnectionFailure.explain(error)
            return .connection(detail: failure.detail, transient: failure.transient)
        }
        switch client {
        case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
             .getConnectionFromPoolTimeout, .httpProxyHandshakeTimeout, .socksHandshakeTimeout:
            return .timedOut(after: timeout)
        case .cancelled:
            return .cancelled
        case .remoteConnectionClosed:
            return .connection(detail: "the server closed the connection before the answer was complete", transient: true)
        case .invalidURL, .emptyHost, .emptyScheme:
            return .connection(detail: "the address is not a valid URL", transient: false)
        default:
            return .connection(detail: "\(client)", transient: true)
        }
    }
}

/// Short, human wording for the errors that NIO raises when a connection cannot be made, and whether to try again.
enum ConnectionFailure {
    static func explain(_ error: any Error) -> (detail: String, transient: Bool) {
        let text = String(describing: error)
        // The client already retries a failing connection until its connect timeout; a definite "no such host" will not heal in seconds.
        if text.contains("UnknownHost") || text.contains("Name or service not known") || text.contains("nodename nor servname") {
            return ("the host name could not be resolved (DNS knows no such host)", false)
        }
        if text.contains("Temporary failure in name resolution") {
            return ("the host name could not be resolved (DNS is not answering)", true)
        }
        if text.contains("Connection refused") || text.contains("connectionRefused") {
            return ("the connection was refused", true)
        }
        if text.contains("Connection reset") { return ("the connection was reset", true) }
        if text.contains("Network is unreachable") { return ("the network is unreachable", true) }
        if text.contains("certificate") || text.contains("NIOSSL") {
            return ("the TLS handshake failed (\(text.prefix(160)))", false)
        }
        return (String(text.prefix(200)), true)
    }
}

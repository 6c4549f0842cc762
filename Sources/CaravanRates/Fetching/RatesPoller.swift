import CaravanCore
import CaravanStorage
import Foundation
import Logging
import ServiceLifecycle

/// Fetches the rates at the scheduled times of day for as long as the site runs; stops at once on shutdown.
public struct RatesPoller: Service {
    let fetcher: RateFetcher
    let schedule: RatesSchedule
    let sources: [RateSource]
    let runAtStart: Bool
    let clock: @Sendable () -> Date
    let logger: Logger
    let onRun: @Sendable (RateFetchReport) async -> Void
    /// Shared by every instance on one database: each scheduled run is fetched by whichever claims it first.
    let lease: (any JobLease)?
    let holder: String

    /// The longest single sleep: waking now and then keeps a run on time after the wall clock jumps or the host sleeps.
    static let longestNap: Duration = .seconds(600)

    /// - Parameters:
    ///   - runAtStart: fetch once as soon as the service starts, so that a site started in the evening is not stale
    ///     until the next morning.
    ///   - onRun: called with each run's report after it is logged (tests wait on it).
    ///   - lease: when several instances share a database, the lease lets one of them fetch each run.
    public init(fetcher: RateFetcher, schedule: RatesSchedule, sources: [RateSource] = RateSource.allCases,
                runAtStart: Bool = true, clock: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "caravan.rates"), lease: (any JobLease)? = nil,
                holder: String = RatesPoller.instanceName(),
                onRun: @escaping @Sendable (RateFetchReport) async -> Void = { _ in }) {
        self.lease = lease
        self.holder = holder
        self.fetcher = fetcher
        self.schedule = schedule
        self.sources = sources
        self.runAtStart = runAtStart
        self.clock = clock
        self.logger = logger
        self.onRun = onRun
    }

    public func run() async throws {
        logger.info("rates poller: fetching \(sources.map(\.rawValue).joined(separator: ", ")) at \(schedule)")
        do {
            try await cancelWhenGracefulShutdown { try await self.poll() }
        } catch is CancellationError {
            // Shutdown interrupts a sleep or a fetch; each bank's rates are written in one transaction, so nothing is half-stored.
        }
        logger.info("rates poller stopped")
    }

    private func poll() async throws {
        // The start-up fetch catches up on the latest scheduled run: an instance started later in the same period
        // finds it claimed and leaves it.
        if runAtStart { await runOnce(run: Self.runName(schedule.previousRun(atOrBefore: clock()))) }
        var next = schedule.nextRun(after: clock())
        while true {
            try Task.checkCancellation()
            let wait = next.timeIntervalSince(clock())
            if wait > 0 {
                try await Task.sleep(for: min(.milliseconds(Int64((wait * 1000).rounded(.up))), Self.longestNap))
                continue
            }
            await runOnce(run: Self.runName(next))
            next = schedule.nextRun(after: max(clock(), next))
        }
    }

    /// One fetch of every source, logged one line per source; `run` names the scheduled run for the lease.
    func runOnce(run: String? = nil) async {
        let now = clock()
        if let lease, let run {
            // Without an answer from the database, fetching twice is harmless; not fetching would leave the rates stale.
            let claimed = (try? await lease.claim(job: "rates", run: run, holder: holder, at: now)) ?? true
            guard claimed else {
                logger.info("rates: another instance is fetching the \(run) run")
                return
            }
        }
        let report = await fetcher.fetch(sources, on: Day(now, in: schedule.timeZone), fetchedAt: now)
        // A fetch cut short by shutdown would only log cancellations.
        guard !Task.isCancelled else { return }
        for line in report.sources {
            if line.succeeded {
                logger.info("rates \(line)")
            } else {
                logger.warning("rates \(line)")
            }
        }
        await onRun(report)
    }

    static func runName(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    /// This process, as the job table names it.
    public static func instanceName() -> String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }
}

import CaravanCore
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

    /// The longest single sleep: waking now and then keeps a run on time after the wall clock jumps or the host sleeps.
    static let longestNap: Duration = .seconds(600)

    /// - Parameters:
    ///   - runAtStart: fetch once as soon as the service starts, so that a site started in the evening is not stale
    ///     until the next morning.
    ///   - onRun: called with each run's report after it is logged (tests wait on it).
    public init(fetcher: RateFetcher, schedule: RatesSchedule, sources: [RateSource] = RateSource.allCases,
                runAtStart: Bool = true, clock: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "caravan.rates"),
                onRun: @escaping @Sendable (RateFetchReport) async -> Void = { _ in }) {
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
        if runAtStart { await runOnce() }
        var next = schedule.nextRun(after: clock())
        while true {
            try Task.checkCancellation()
            let wait = next.timeIntervalSince(clock())
            if wait > 0 {
                try await Task.sleep(for: min(.milliseconds(Int64((wait * 1000).rounded(.up))), Self.longestNap))
                continue
            }
            await runOnce()
            next = schedule.nextRun(after: max(clock(), next))
        }
    }

    /// One fetch of every source, logged one line per source.
    func runOnce() async {
        let now = clock()
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
}

import CaravanStorage
import Foundation
import Logging
import ServiceLifecycle

/// Publishes scheduled stories when their time comes. Every instance may run one: the store publishes each story once.
public struct ScheduledPublisher: Service {
    let stories: any NewsroomStore
    let interval: Duration
    let clock: @Sendable () -> Date
    let logger: Logger

    /// Every 20 seconds by default, so a story goes out within a minute of its time even if a run is slow.
    public init(
        stories: any NewsroomStore, interval: Duration = .seconds(20),
        clock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "caravan.scheduler")
    ) {
        self.stories = stories
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    await publishDue()
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            // Shutdown interrupts a sleep; each pass publishes in one transaction, so nothing is half-done.
        }
    }

    /// One pass; a failure is logged and the next pass tries again.
    func publishDue() async {
        do {
            let published = try await stories.publishDue(now: clock())
            for id in published { logger.info("published scheduled story \(id)") }
        } catch {
            logger.error("scheduled publishing failed: \(error)")
        }
    }
}

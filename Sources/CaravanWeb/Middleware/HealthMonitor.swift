import Foundation
import Synchronization

/// The last sign of database trouble seen while answering requests, so `/healthz` reports what readers are getting
/// even when its own quick read still succeeds (a damaged page deep in the file, a full disk on writes).
final class HealthMonitor: Sendable {
    private let last = Mutex<(reason: String, at: ContinuousClock.Instant)?>(nil)
    /// How long one failure keeps the instance unhealthy after the last one.
    let memory: Duration

    init(memory: Duration = .seconds(30)) {
        self.memory = memory
    }

    func record(_ reason: String) {
        last.withLock { $0 = (reason, .now) }
    }

    /// The trouble seen within `memory`, if any.
    func recentTrouble() -> String? {
        last.withLock { last in
            guard let seen = last, ContinuousClock.now - seen.at < memory else { return nil }
            return seen.reason
        }
    }
}

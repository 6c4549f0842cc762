import Foundation

/// How many wrong passwords an address may try before it has to wait.
public struct SignInThrottle: Sendable, Hashable {
    public var allowedFailures: Int
    /// Failures older than this are forgotten.
    public var window: TimeInterval
    /// How long an address waits once it has used up its failures.
    public var lockout: TimeInterval

    public init(allowedFailures: Int = 5, window: TimeInterval = 15 * 60, lockout: TimeInterval = 15 * 60) {
        self.allowedFailures = allowedFailures
        self.window = window
        self.lockout = lockout
    }

    /// When the address may try again, or nil when it may try now. `failures` are the times of recent failed attempts;
    /// pass at least those of the last `window + lockout`, so a lockout is never lifted early.
    ///
    /// The address is locked once `allowedFailures` failures fall within one `window`, and stays locked for `lockout`
    /// after the last of them: the time it is told to wait is the time it waits, even as the first of those failures
    /// grow older than the window.
    public func lockedUntil(failures: [Date], now: Date) -> Date? {
        let sorted = failures.sorted()
        let count = max(1, allowedFailures)
        var until: Date?
        for index in sorted.indices where index + 1 >= count {
            // The `count` failures ending with this one, all within one window.
            if sorted[index].timeIntervalSince(sorted[index + 1 - count]) < window {
                until = sorted[index].addingTimeInterval(lockout)
            }
        }
        guard let until, until > now else { return nil }
        return until
    }

    /// "14 minutes" or "1 minute": how long a person waits, rounded up.
    public static func waitText(from now: Date, until: Date) -> String {
        let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
        return minutes == 1 ? "1 minute" : "\(minutes) minutes"
    }
}

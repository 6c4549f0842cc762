/// How often and how patiently a download is tried again after a timeout, a broken connection or a 5xx answer.
public struct RetryPolicy: Hashable, Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The pause after the first failed attempt; each later pause is `multiplier` times the one before.
    public var initialDelay: Duration
    public var multiplier: Int
    /// No pause is longer than this.
    public var maxDelay: Duration
    /// Attempts and pauses of one document together never take longer than this.
    public var totalBudget: Duration

    public init(maxAttempts: Int = 3, initialDelay: Duration = .seconds(2), multiplier: Int = 2,
                maxDelay: Duration = .seconds(15), totalBudget: Duration = .seconds(60)) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.multiplier = max(1, multiplier)
        self.maxDelay = maxDelay
        self.totalBudget = totalBudget
    }

    /// Three attempts, pausing 2 s then 4 s, within a minute.
    public static let standard = RetryPolicy()

    /// One attempt only.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// The pause after failed attempt number `attempt` (1-based).
    public func delay(afterAttempt attempt: Int) -> Duration {
        var delay = initialDelay
        for _ in 1..<max(1, attempt) {
            delay *= multiplier
            // Stop growing once capped, so that many attempts cannot overflow.
            if delay >= maxDelay { return maxDelay }
        }
        return min(delay, maxDelay)
    }
}

import CaravanCore
import Foundation

/// Why a bank's rates could not be fetched, naming the bank and the address, in a sentence a person can act on.
public struct RateFetchError: Error, Sendable, CustomStringConvertible, LocalizedError {
    public enum Kind: Sendable {
        /// The bank answered with a status other than 2xx.
        case status(code: Int, reason: String)
        /// No complete answer within the time allowed for one attempt.
        case timedOut(after: Duration)
        /// The connection could not be made or broke (DNS, refused, reset, TLS).
        case connection(detail: String, transient: Bool)
        /// The answer is larger than anything a bank publishes.
        case bodyTooLarge(limit: Int)
        /// The answer arrived but is not the rates (an HTML page, another encoding, another day).
        case payload(RatePayloadError)
        /// The fetch was stopped, for example by a shutdown.
        case cancelled
        /// The rates were read but could not be written.
        case storage(detail: String)
    }

    public let source: RateSource
    /// The address asked for (empty for a storage failure).
    public let url: String
    public let kind: Kind
    /// Attempts made for this address, the first included.
    public let attempts: Int

    public init(_ kind: Kind, source: RateSource, url: String, attempts: Int = 1) {
        self.kind = kind
        self.source = source
        self.url = url
        self.attempts = attempts
    }

    func with(attempts: Int) -> RateFetchError {
        RateFetchError(kind, source: source, url: url, attempts: attempts)
    }

    /// Worth trying again soon: timeouts, broken connections and server errors, never refusals or bad payloads.
    public var isTransient: Bool {
        switch kind {
        case .status(let code, _): return (500...599).contains(code)
        case .timedOut: return true
        case .connection(_, let transient): return transient
        case .bodyTooLarge, .payload, .cancelled, .storage: return false
        }
    }

    public var errorDescription: String? { description }

    public var description: String {
        let bank = "\(source.name) (\(source.rawValue.uppercased()))"
        let tries = attempts > 1 ? " (\(attempts) attempts)" : ""
        switch kind {
        case .status(let code, let reason):
            let named = reason.isEmpty ? "HTTP \(code)" : "HTTP \(code) \(reason)"
            let hint: String
            switch code {
            case 401, 403, 429:
                hint = "the bank refused the request (anti-bot protection, User-Agent or country block)"
            case 404, 410:
                hint = "there is no file at that address (no publication for the day, or the address changed)"
            case 500...599:
                hint = "the bank's server is failing"
            default:
                hint = "that is not the rates file"
            }
            return "\(bank) answered \(named) for \(url)\(tries): \(hint)."
        case .timedOut(let after):
            return "\(bank) did not answer \(url) within \(Self.seconds(after))\(tries)."
        case .connection(let detail, _):
            return "\(bank) could not be reached at \(url)\(tries): \(detail)."
        case .bodyTooLarge(let limit):
            return "\(bank) sent more than \(limit / 1024) KiB for \(url), far more than a rates file: refused."
        case .payload(let error):
            return "\(bank) answered \(url) with something that is not usable rates: \(error)"
        case .cancelled:
            return "the fetch from \(bank) at \(url) was cancelled before it finished."
        case .storage(let detail):
            return "\(bank)'s rates were read but could not be stored: \(detail)."
        }
    }

    /// "0.3 s", "15 s".
    static func seconds(_ duration: Duration) -> String {
        let (whole, atto) = duration.components
        let tenths = atto / 100_000_000_000_000_000
        return tenths == 0 ? "\(whole) s" : "\(whole).\(tenths) s"
    }
}

import CaravanCore
import Foundation

/// What one fetch did for one bank: rates stored, or why nothing was, with the rate the site keeps showing.
public struct SourceFetchReport: Sendable, CustomStringConvertible {
    public enum Outcome: Sendable {
        /// `rates` rates (own and cross) were stored, in effect on `days`.
        case stored(rates: Int, days: [Day])
        /// Nothing was written.
        case failed(RateFetchError)
    }

    public let source: RateSource
    /// The day whose rates were asked for.
    public let requested: Day
    public let outcome: Outcome
    /// Problems that did not stop the source (an optional document left out, payload items ignored).
    public let notes: [String]
    /// HTTP requests made, retries included.
    public let requests: Int
    /// After a failure: the newest stored effective date from this source, which the site keeps showing.
    public let lastGood: Day?
    /// After a failure: true when `lastGood` is older than the source's schedule allows (the ticker marks it stale).
    public let lastGoodIsStale: Bool

    public init(source: RateSource, requested: Day, outcome: Outcome, notes: [String] = [], requests: Int,
                lastGood: Day? = nil, lastGoodIsStale: Bool = false) {
        self.source = source
        self.requested = requested
        self.outcome = outcome
        self.notes = notes
        self.requests = requests
        self.lastGood = lastGood
        self.lastGoodIsStale = lastGoodIsStale
    }

    public var succeeded: Bool {
        if case .stored = outcome { return true }
        return false
    }

    public var error: RateFetchError? {
        if case .failed(let error) = outcome { return error }
        return nil
    }

    /// One line: `NBK: stored 5 rates for 2026-04-02` or `CBT: failed: … Nothing was stored; its last good rates (2026-05-22) stay.`
    public var description: String {
        let name = source.rawValue.uppercased()
        switch outcome {
        case .stored(let rates, let days):
            let on = days.isEmpty ? "" : " for " + days.map(\.iso).joined(separator: ", ")
            let extra = notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"
            return "\(name): stored \(rates) rate\(rates == 1 ? "" : "s")\(on)\(extra)"
        case .failed(let error):
            let kept: String
            if let lastGood {
                kept = "its last good rates (\(lastGood.iso)) stay" + (lastGoodIsStale ? ", now stale" : "")
            } else {
                kept = "no earlier rate from it is stored"
            }
            return "\(name): failed: \(error) Nothing was stored; \(kept)."
        }
    }
}

/// What one fetch did for every bank asked, in the order asked.
public struct RateFetchReport: Sendable, CustomStringConvertible {
    public let day: Day
    public let sources: [SourceFetchReport]

    public init(day: Day, sources: [SourceFetchReport]) {
        self.day = day
        self.sources = sources
    }

    /// True when no bank's rates could be stored (and at least one was asked).
    public var allFailed: Bool { !sources.isEmpty && sources.allSatisfy { !$0.succeeded } }

    public subscript(source: RateSource) -> SourceFetchReport? { sources.first { $0.source == source } }

    public var description: String { sources.map(\.description).joined(separator: "\n") }
}

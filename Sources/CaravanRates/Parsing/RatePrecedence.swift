import CaravanCore
import Foundation

/// Which of several candidate rates for a currency to show, and why.
public struct RateChoice: Hashable, Sendable {
    public enum Outcome: Hashable, Sendable {
        /// The currency's own bank (KZT from NBK, TMT from CBT…).
        case authoritative
        /// Another bank's cross rate, because the own bank's rate was missing, held back or stale.
        case cross(because: CrossReason)
        /// Every candidate was held back by the sanity band: keep showing the previous rate.
        case heldBack
        /// No candidate for this currency on or before the day.
        case noCandidates
    }

    public enum CrossReason: Hashable, Sendable {
        case noAuthoritativeRate
        case authoritativeHeldBack
        case authoritativeStale
    }

    /// One candidate as judged: its sanity verdict and whether it is stale on the day.
    public struct Assessment: Hashable, Sendable {
        public let rate: Rate
        public let verdict: SanityVerdict
        public let isStale: Bool
    }

    public let currency: Currency
    /// The day the choice is for.
    public let day: Day
    /// The rate to show; nil when everything was held back (show `previous`) or there was nothing.
    public let rate: Rate?
    public let outcome: Outcome
    /// True when the chosen rate is older than its source's schedule allows on `day` (nothing fresher was acceptable).
    public let isStale: Bool
    /// Every candidate considered (the newest of each source and kind), with its verdict.
    public let assessments: [Assessment]

    /// Candidates the sanity band held back, for the log and for an editor's attention.
    public var heldBack: [Rate] { assessments.filter { !$0.verdict.isAccepted }.map(\.rate) }
}

/// The precedence rule: the currency's own bank if its rate is present, plausible and current; else the newest
/// plausible cross from another bank (CBR first among equals); else a plausible but stale rate, own bank first.
public enum RatePrecedence {
    /// Among crosses of the same date: CBR (6 significant digits, the documented fallback), then CBT (prints per-dollar
    /// figures), CBU, NBT, and last NBK and NBKR, whose 2- and 4-decimal quotes of small currencies lose precision.
    public static let crossPreference: [RateSource] = [.cbr, .cbt, .cbu, .nbt, .nbk, .nbkr]

    /// Chooses the rate of `currency` to show on `day`.
    /// - Parameters:
    ///   - candidates: rates from any source; other currencies and rates dated after `day` are ignored, and only the
    ///     newest of each source (own rate and cross counted apart) is considered.
    ///   - previous: the rate last accepted for this currency, against which the sanity band measures the move.
    ///   - confirmations: rates that may confirm a large move (default: the candidates); those after `day` are ignored.
    public static func choose(for currency: Currency, on day: Day, candidates: [Rate], previous: Rate?,
                              band: SanityBand = .standard, confirmations: [Rate]? = nil,
                              holidays: Set<Day> = []) -> RateChoice {
        let newest = newestPerSource(candidates.filter { $0.currency == currency && $0.effectiveDate <= day })
        // Only what was published by `day` may confirm, so replaying history gives the answers given at the time.
        lazy var witnesses = (confirmations ?? candidates).filter { $0.effectiveDate <= day }
        var assessments: [RateChoice.Assessment] = []
        for rate in newest {
            var verdict = band.assess(rate, previous: previous)
            // Looking for a confirmation is the costly part, and only a held-back rate needs one.
            if case .heldBack = verdict { verdict = band.assess(rate, previous: previous, others: witnesses) }
            let stale = PublicationSchedule.standard(for: rate.source)
                .isStale(effectiveDate: rate.effectiveDate, asOf: day, holidays: holidays)
            assessments.append(RateChoice.Assessment(rate: rate, verdict: verdict, isStale: stale))
        }
        let own = assessments.filter { $0.rate.isAuthoritative }
        let crosses = assessments.filter { !$0.rate.isAuthoritative }.sorted(by: crossOrder)
        let ownAccepted = own.filter { $0.verdict.isAccepted }
        let crossReason: RateChoice.CrossReason =
            own.isEmpty ? .noAuthoritativeRate : ownAccepted.isEmpty ? .authoritativeHeldBack : .authoritativeStale

        func choice(_ picked: RateChoice.Assessment, _ outcome: RateChoice.Outcome) -> RateChoice {
            RateChoice(currency: currency, day: day, rate: picked.rate, outcome: outcome,
                       isStale: picked.isStale, assessments: assessments)
        }
        if let fresh = ownAccepted.first(where: { !$0.isStale }) { return choice(fresh, .authoritative) }
        if let fresh = crosses.first(where: { $0.verdict.isAccepted && !$0.isStale }) {
            return choice(fresh, .cross(because: crossReason))
        }
        if let stale = ownAccepted.first { return choice(stale, .authoritative) }
        if let stale = crosses.first(where: { $0.verdict.isAccepted }) {
            return choice(stale, .cross(because: crossReason))
        }
        return RateChoice(currency: currency, day: day, rate: nil,
                          outcome: assessments.isEmpty ? .noCandidates : .heldBack,
                          isStale: false, assessments: assessments)
    }

    /// The newest rate of each source, a bank's own rate and its crosses kept apart; sorted newest first.
    static func newestPerSource(_ rates: [Rate]) -> [Rate] {
        var newest: [String: Rate] = [:]
        for rate in rates {
            let key = "\(rate.source.rawValue)-\(rate.isCross)"
            if let known = newest[key], known.effectiveDate >= rate.effectiveDate { continue }
            newest[key] = rate
        }
        return newest.values.sorted(by: crossOrder)
    }

    private static func crossOrder(_ a: RateChoice.Assessment, _ b: RateChoice.Assessment) -> Bool {
        crossOrder(a.rate, b.rate)
    }

    /// Newest first, then by `crossPreference`.
    private static func crossOrder(_ a: Rate, _ b: Rate) -> Bool {
        if a.effectiveDate != b.effectiveDate { return a.effectiveDate > b.effectiveDate }
        let rank = { (rate: Rate) in crossPreference.firstIndex(of: rate.source) ?? crossPreference.count }
        if rank(a) != rank(b) { return rank(a) < rank(b) }
        return !a.isCross && b.isCross
    }
}

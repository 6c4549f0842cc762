import Foundation

/// The daily-move check: a rate that moved more than `maximumMove` since the last accepted rate is held back
/// unless another source's rate for the same currency, from a nearby day, agrees with it within `confirmationTolerance`.
public struct SanityBand: Hashable, Sendable {
    /// Largest accepted relative move without confirmation, as a fraction (0.10 is 10 %); a move of exactly this much passes.
    public var maximumMove: Decimal
    /// How close a confirming rate must be to the candidate, as a fraction (0.02 is 2 %).
    public var confirmationTolerance: Decimal
    /// How many days apart a confirming rate's effective date may be (banks fix on different days).
    public var confirmationWindowDays: Int

    public init(maximumMove: Decimal = Decimal(string: "0.10")!, confirmationTolerance: Decimal = Decimal(string: "0.02")!,
                confirmationWindowDays: Int = 3) {
        self.maximumMove = maximumMove
        self.confirmationTolerance = confirmationTolerance
        self.confirmationWindowDays = confirmationWindowDays
    }

    /// 10 % band, 2 % confirmation tolerance, confirmations up to 3 days apart.
    public static let standard = SanityBand()

    /// Judges `candidate` against `previous`, the last rate accepted for its currency (nil when there is none yet).
    /// `others` may hold any rates; only those of the same currency from another bank, dated near the candidate, can confirm.
    public func assess(_ candidate: Rate, previous: Rate?, others: [Rate] = []) -> SanityVerdict {
        guard candidate.isValid else { return .invalid }
        guard let previous, previous.isValid else { return .noHistory }
        let move = RateChange.percent(from: previous.perUSD, to: candidate.perUSD)
        if move.magnitude <= maximumMove * 100 { return .withinBand(movePercent: move) }
        if let witness = confirmation(of: candidate, among: others) {
            return .confirmed(movePercent: move, by: witness)
        }
        return .heldBack(movePercent: move)
    }

    /// The first rate in `others` that agrees with `candidate`: same currency, another bank, nearby day, within tolerance.
    public func confirmation(of candidate: Rate, among others: [Rate]) -> Rate? {
        others.first { other in
            other.currency == candidate.currency && other.source != candidate.source && other.isValid
                && abs(other.effectiveDate.days(until: candidate.effectiveDate)) <= confirmationWindowDays
                && RateChange.percent(from: candidate.perUSD, to: other.perUSD).magnitude <= confirmationTolerance * 100
        }
    }
}

/// What the sanity band made of a rate.
public enum SanityVerdict: Hashable, Sendable {
    /// Nothing accepted before: the first rate of a currency is taken as it is.
    case noHistory
    /// Moved no more than the band allows since the last accepted rate (signed percentage).
    case withinBand(movePercent: Decimal)
    /// Moved beyond the band, but another bank's rate agrees with it.
    case confirmed(movePercent: Decimal, by: Rate)
    /// Moved beyond the band with nothing to confirm it: keep showing the last accepted rate.
    case heldBack(movePercent: Decimal)
    /// Zero, negative or not a number.
    case invalid

    public var isAccepted: Bool {
        switch self {
        case .noHistory, .withinBand, .confirmed: return true
        case .heldBack, .invalid: return false
        }
    }

    /// The signed move against the last accepted rate, in percent, when there was one.
    public var movePercent: Decimal? {
        switch self {
        case .withinBand(let move), .confirmed(let move, _), .heldBack(let move): return move
        case .noHistory, .invalid: return nil
        }
    }
}

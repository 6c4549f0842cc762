import Foundation

/// The change of a currency's `perUSD` from the previous publication date to the current one.
public struct RateChange: Hashable, Sendable {
    public let current: Rate
    public let previous: Rate

    public init(current: Rate, previous: Rate) {
        self.current = current
        self.previous = previous
    }

    /// The change against the latest rate of the same currency in `history` dated before `current`;
    /// nil when there is none. `history` is whatever the caller stored as shown (any order, may include `current`).
    public init?(current: Rate, history: some Sequence<Rate>) {
        let earlier = history.filter { $0.currency == current.currency && $0.effectiveDate < current.effectiveDate }
        guard let previous = earlier.max(by: { $0.effectiveDate < $1.effectiveDate }) else { return nil }
        self.init(current: current, previous: previous)
    }

    /// The date the change is measured from (the API's `previous_date`).
    public var previousDate: Day { previous.effectiveDate }

    /// Percentage change of `perUSD`, unrounded: 478.77 → 475.09 gives -0.76863629….
    public var percent: Decimal { RateChange.percent(from: previous.perUSD, to: current.perUSD) }

    /// `percent` rounded for the JSON API (4 places: -0.7686); never a negative zero.
    public func percent(places: Int) -> Decimal { DecimalRounding.round(percent, places: places) }

    /// (new − old) / old × 100 at full `Decimal` precision; exactly zero when the value repeats.
    public static func percent(from old: Decimal, to new: Decimal) -> Decimal {
        // Subtracting first keeps all 38 digits for the quotient instead of losing them to the leading 1 of new/old.
        if old == new { return Decimal.zero }
        return (new - old) / old * 100
    }
}

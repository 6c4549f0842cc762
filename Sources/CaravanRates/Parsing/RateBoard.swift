import CaravanCore
import Foundation

/// One line of the ticker: the rate shown for a currency on a day, its change, and how it was chosen.
public struct TickerEntry: Hashable, Sendable {
    public let currency: Currency
    /// The rate shown: the day's choice, or the last accepted rate when the day's candidates were held back.
    public let rate: Rate
    /// The accepted rate before `rate` (the base of the change, the API's `previous_date`); nil for the first one.
    public let previous: Rate?
    /// True when `rate` is older than its source's schedule allows on the day asked for (the API's `stale`).
    public let isStale: Bool
    /// How the day's candidates were judged (outcome, held-back rates).
    public let choice: RateChoice

    /// The change of `rate` against `previous`; nil when there is no previous rate.
    public var change: RateChange? { previous.map { RateChange(current: rate, previous: $0) } }
}

/// The ticker computed from every stored candidate rate, day by day: precedence picks a rate for each date on which
/// any candidate took effect, the sanity band holds back jumps against the last accepted rate, and the accepted
/// rates form the history against which changes are measured. Pure: the caller loads the rates and supplies the day.
public struct RateBoard: Sendable {
    public let rates: [Rate]
    public let band: SanityBand
    public let holidays: Set<Day>
    /// Rates accepted before `rates` begin (for example the last shown rate from storage), one per currency.
    public let seed: [Rate]

    public init(rates: [Rate], band: SanityBand = .standard, holidays: Set<Day> = [], seed: [Rate] = []) {
        self.rates = rates
        self.band = band
        self.holidays = holidays
        self.seed = seed
    }

    /// Builds the board from parsed publications, normalising each to `currencies`.
    public init(publications: [BankPublication], currencies: [Currency] = Currency.tracked,
                band: SanityBand = .standard, holidays: Set<Day> = [], seed: [Rate] = []) {
        self.init(rates: publications.flatMap { $0.rates(for: currencies) }, band: band, holidays: holidays, seed: seed)
    }

    /// The accepted rates of `currency` up to `day` (all when nil), oldest first, one per effective date.
    public func history(for currency: Currency, through day: Day? = nil) -> [Rate] {
        walk(currency, through: day).accepted
    }

    /// The ticker line of `currency` on `day`; nil when nothing was ever accepted for it.
    public func entry(for currency: Currency, on day: Day) -> TickerEntry? {
        let (accepted, choice) = walk(currency, through: day)
        guard let shown = accepted.last else { return nil }
        let stale = PublicationSchedule.standard(for: shown.source)
            .isStale(effectiveDate: shown.effectiveDate, asOf: day, holidays: holidays)
        return TickerEntry(currency: currency, rate: shown, previous: accepted.dropLast().last,
                           isStale: stale, choice: choice)
    }

    /// The ticker on `day`, in the order of `currencies`, leaving out currencies with no accepted rate.
    public func ticker(on day: Day, currencies: [Currency] = Currency.tracked) -> [TickerEntry] {
        currencies.compactMap { entry(for: $0, on: day) }
    }

    /// The newest effective date of any rate (a sensible default "day" for a board built from saved payloads).
    public var latestDate: Day? { rates.map(\.effectiveDate).max() }

    private func walk(_ currency: Currency, through day: Day?) -> (accepted: [Rate], choice: RateChoice) {
        let mine = rates.filter { $0.currency == currency }.sorted { $0.effectiveDate < $1.effectiveDate }
        var accepted = seed.filter { $0.currency == currency }.max { $0.effectiveDate < $1.effectiveDate }.map { [$0] } ?? []
        let end = day ?? mine.last?.effectiveDate ?? accepted.last?.effectiveDate ?? Day(year: 1970, month: 1, day: 1)!
        // The newest rate of each source so far, advanced date by date so a long history is walked once.
        var newest: [String: Rate] = [:]
        var next = mine.startIndex

        func step(_ date: Day) -> RateChoice {
            while next < mine.endIndex, mine[next].effectiveDate <= date {
                newest["\(mine[next].source.rawValue)-\(mine[next].isCross)"] = mine[next]
                next += 1
            }
            let choice = RatePrecedence.choose(
                for: currency, on: date, candidates: Array(newest.values), previous: accepted.last,
                band: band, confirmations: mine, holidays: holidays)
            if let rate = choice.rate, rate != accepted.last {
                // A rate chosen later for the same or an earlier date supersedes what was shown from then on.
                while let tail = accepted.last, tail.effectiveDate >= rate.effectiveDate { accepted.removeLast() }
                accepted.append(rate)
            }
            return choice
        }
        var previousDate: Day?
        for rate in mine where rate.effectiveDate < end && rate.effectiveDate != previousDate {
            previousDate = rate.effectiveDate
            _ = step(rate.effectiveDate)
        }
        // The last step may change `accepted`, so it runs before the result is assembled.
        let choice = step(end)
        return (accepted, choice)
    }
}

import CaravanCore
import CaravanStorage
import Foundation

/// Reads the stored rate history and answers what the ticker, the rates page and the API show.
public struct RateDesk: Sendable {
    let store: any RateStore
    let timeZone: TimeZone
    /// How far back the board walks: enough for a 90-day chart and a change over a long holiday.
    static let window = 120

    public init(store: any RateStore, timeZone: TimeZone) {
        self.store = store
        self.timeZone = timeZone
    }

    /// The board for a day.
    public func board(on day: Day) async throws -> RateBoard {
        let rates = try await store.recent(through: day, days: Self.window)
        // The peg is a reference for manat quotes, not a quote of its own: without any, the manat is not shown.
        return RateBoard(rates: rates, seed: rates.contains { $0.currency == .tmt } ? Self.seed : [])
    }

    /// What is known before any payload: the manat has been pegged at 3.5 to the dollar by CBT since 1 January 2009,
    /// so a first manat quote far from the peg is measured against it (and held back) rather than taken on trust.
    static let seed = [
        Rate(currency: .tmt, perUSD: Currency.tmtPegPerUSD, effectiveDate: Day(year: 2009, month: 1, day: 1)!, source: .cbt)
    ]

    public func today(now: Date) -> Day {
        Day(now, in: timeZone)
    }

    /// The ticker's lines for a day, in the usual order (KZT, KGS, TJS, UZS, TMT).
    public func ticker(on day: Day) async throws -> [TickerEntry] {
        try await board(on: day).ticker(on: day)
    }

    /// Stores what a parsed payload says, own rates and crosses alike.
    /// - Returns: the rates stored.
    @discardableResult
    public func store(_ publications: [BankPublication], fetchedAt: Date) async throws -> [Rate] {
        // NBKR's weekly file has no dollar: anchor it on the daily file's dollar when the same batch has one.
        let nbkrDollar = publications.first { $0.source == .nbkr && $0.officialRate != nil }?.officialRate?.perUSD
        let rates = publications.flatMap { publication in
            publication.rates(for: Currency.tracked, homePerUSD: publication.source == .nbkr ? nbkrDollar : nil)
        }
        try await store.save(rates, fetchedAt: fetchedAt)
        return rates
    }
}

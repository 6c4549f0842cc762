import CaravanCore
import Foundation

/// The history of every rate a bank published or that was crossed from one: never loses a day.
public protocol RateStore: Sendable {
    /// Stores rates (own and cross); a rate already stored for the same currency, day, source and cross is replaced.
    /// - Returns: how many rows were new or changed.
    @discardableResult
    func save(_ rates: [Rate], fetchedAt: Date) async throws -> Int
    /// The candidate rates of the `days` days up to the newest stored day on or before `day`, oldest first.
    func recent(through day: Day, days: Int) async throws -> [Rate]
    /// How many rates are stored.
    func count() async throws -> Int
}

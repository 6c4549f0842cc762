import CaravanCore
import CaravanStorage
import Foundation
import Logging
import PostgresNIO

/// The rate history on PostgreSQL. Numbers are stored as decimal text, never as floating point, as on SQLite.
public struct PostgresRateStore: RateStore {
    let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    private var logger: Logger { database.logger }

    public func save(_ rates: [Rate], fetchedAt: Date) async throws -> Int {
        let fetched = Int64(fetchedAt.timeIntervalSince1970)
        return try await database.write { connection in
            var changed = 0
            for rate in rates where rate.isValid {
                let (text, via) = ("\(rate.perUSD)", rate.crossVia?.code ?? "")
                // RETURNING yields a row only for an insert or an update that happened: a rate saved again unchanged
                // neither counts nor moves the content version.
                changed += try await connection.values(
                    """
                    INSERT INTO rate (currency, effective_date, source, cross_via, per_usd, fetched_at)
                    VALUES (\(rate.currency.code), \(rate.effectiveDate.iso), \(rate.source.rawValue), \(via), \(text), \(fetched))
                    ON CONFLICT (currency, effective_date, source, cross_via)
                    DO UPDATE SET per_usd = excluded.per_usd, fetched_at = excluded.fetched_at
                    WHERE rate.per_usd <> excluded.per_usd
                    RETURNING 1
                    """, as: Int.self, logger: logger
                ).count
            }
            return changed
        }
    }

    public func recent(through day: Day, days: Int) async throws -> [Rate] {
        try await database.read { connection in
            guard
                let newest = try await connection.value(
                    "SELECT max(effective_date) FROM rate WHERE effective_date <= \(day.iso)", as: String?.self, logger: logger)
                    ?? nil,
                let newestDay = Day(iso: newest)
            else { return [] }
            let start = newestDay.adding(days: -days)
            return try await connection.rows(
                """
                SELECT currency, effective_date, source, cross_via, per_usd FROM rate
                WHERE effective_date >= \(start.iso) AND effective_date <= \(day.iso) ORDER BY effective_date, currency, source
                """, logger: logger
            ).compactMap(Self.rate)
        }
    }

    public func count() async throws -> Int {
        try await database.read { connection in
            try await connection.value("SELECT count(*) FROM rate", as: Int.self, logger: logger) ?? 0
        }
    }

    static func rate(_ row: PostgresRandomAccessRow) throws -> Rate? {
        guard let currency = Currency(code: try row.get("currency")), let day = Day(iso: try row.get("effective_date")),
            let source = RateSource(rawValue: try row.get("source")),
            let value = Decimal(string: try row.get("per_usd"), locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        let via: String = try row.get("cross_via")
        return Rate(currency: currency, perUSD: value, effectiveDate: day, source: source, crossVia: via.isEmpty ? nil : Currency(code: via))
    }
}

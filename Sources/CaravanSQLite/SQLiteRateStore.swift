import CaravanCore
import CaravanStorage
import Foundation
import GRDB

/// The rate history on SQLite. Numbers are stored as decimal text, never as floating point.
public struct SQLiteRateStore: RateStore {
    let database: SQLiteDatabase

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func save(_ rates: [Rate], fetchedAt: Date) async throws -> Int {
        try await database.writer.write { db in
            var changed = 0
            for rate in rates where rate.isValid {
                let text = "\(rate.perUSD)"
                try db.cachedStatement(
                    sql: """
                        INSERT INTO rate (currency, effective_date, source, cross_via, per_usd, fetched_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (currency, effective_date, source, cross_via)
                        DO UPDATE SET per_usd = excluded.per_usd, fetched_at = excluded.fetched_at
                        WHERE per_usd != excluded.per_usd
                        """
                ).execute(arguments: [
                    rate.currency.code, rate.effectiveDate.iso, rate.source.rawValue, rate.crossVia?.code ?? "", text,
                    Int64(fetchedAt.timeIntervalSince1970),
                ])
                changed += db.changesCount
            }
            return changed
        }
    }

    public func recent(through day: Day, days: Int) async throws -> [Rate] {
        try await database.writer.read { db in
            guard let newest = try String.fetchOne(db, sql: "SELECT max(effective_date) FROM rate WHERE effective_date <= ?", arguments: [day.iso]),
                let newestDay = Day(iso: newest)
            else { return [] }
            let start = newestDay.adding(days: -days)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT currency, effective_date, source, cross_via, per_usd FROM rate
                    WHERE effective_date >= ? AND effective_date <= ? ORDER BY effective_date, currency, source
                    """, arguments: [start.iso, day.iso]
            ).compactMap(Self.rate)
        }
    }

    public func count() async throws -> Int {
        try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM rate") ?? 0 }
    }

    static func rate(_ row: Row) -> Rate? {
        guard let currency = Currency(code: row["currency"]), let day = Day(iso: row["effective_date"]),
            let source = RateSource(rawValue: row["source"]), let value = Decimal(string: row["per_usd"], locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        let via: String = row["cross_via"]
        return Rate(currency: currency, perUSD: value, effectiveDate: day, source: source, crossVia: via.isEmpty ? nil : Currency(code: via))
    }
}

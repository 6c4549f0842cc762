import CaravanStorage
import Foundation

/// A setting that cannot be used, said as the person should fix it: naming the flag, what it allows, what it got.
public struct ConfigurationProblem: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Where the data lives and the newsroom's time zone, which every command resolves alike: the flag, else the
/// environment (`CARAVAN_DATABASE`, `CARAVAN_DATABASE_REPLICA`, `CARAVAN_TIME_ZONE`), else the default.
public struct DatabaseSettings: Sendable {
    public var database: DatabaseURL
    public var replica: DatabaseURL?
    public var timeZone: TimeZone

    public init(database: String?, replica: String?, timeZone: String?, environment: [String: String]) throws {
        self.database = try DatabaseURL(parsing: database ?? environment["CARAVAN_DATABASE"] ?? "sqlite:caravan.sqlite")
        self.replica = try (replica ?? environment["CARAVAN_DATABASE_REPLICA"]).map { try DatabaseURL(parsing: $0) }
        self.timeZone = try Self.timeZone(timeZone, environment: environment)
    }

    public static func timeZone(_ name: String?, environment: [String: String]) throws -> TimeZone {
        let name = name ?? environment["CARAVAN_TIME_ZONE"] ?? "Asia/Almaty"
        guard let zone = TimeZone(identifier: name) else {
            throw ConfigurationProblem("unknown time zone \"\(name)\" (use an IANA name such as Asia/Almaty)")
        }
        return zone
    }

    /// Opens the database with every store, migrated, for as long as `body` runs.
    public func withStores<T: Sendable>(_ body: (Stores) async throws -> T) async throws -> T {
        try await Stores.with(database, replica: replica, timeZone: timeZone, body)
    }
}

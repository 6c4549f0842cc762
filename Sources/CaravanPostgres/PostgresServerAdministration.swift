import CaravanStorage
import Foundation
import Logging
import PostgresNIO

/// Work on a PostgreSQL server rather than inside one database: creating and dropping whole databases (the tests
/// give each test a database of its own).
package enum PostgresServerAdministration {
    /// Creates an empty database named `name` on the server `serverURL` names, and returns the URL that opens it.
    package static func createDatabase(_ name: String, server serverURL: String) async throws -> String {
        try await run("CREATE DATABASE \(try identifier(name))", server: serverURL)
        return try url(ofDatabase: name, server: serverURL)
    }

    /// Drops the database `name`, closing any session still connected to it.
    package static func dropDatabase(_ name: String, server serverURL: String) async throws {
        try await run("DROP DATABASE IF EXISTS \(try identifier(name)) WITH (FORCE)", server: serverURL)
    }

    /// `serverURL` with its database replaced by `name`.
    package static func url(ofDatabase name: String, server serverURL: String) throws -> String {
        let failure = StorageError.malformedURL(PostgresAddress.withoutPassword(serverURL), reason: "cannot name another database in it")
        guard var components = URLComponents(string: serverURL) else { throw failure }
        components.path = "/" + name
        guard let url = components.string else { throw failure }
        return url
    }

    /// A database name can't be a bound parameter, so only plain lower-case names are accepted.
    private static func identifier(_ name: String) throws -> String {
        guard !name.isEmpty, name.count <= 63, name.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        else { throw StorageError.databaseFailed(reason: "\"\(name)\" is not a plain database name (a-z, 0-9, _)") }
        return "\"\(name)\""
    }

    private static func run(_ sql: String, server serverURL: String) async throws {
        let address = try PostgresAddress(parsing: serverURL)
        let configuration = try address.connectionConfiguration()
        let logger = Logger(label: "caravan.postgres.administration")
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } catch {
            throw StorageError.cannotConnect(location: "\(address.host):\(address.port)", reason: PostgresDatabase.reason(error))
        }
        do {
            try await connection.execute(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch {
            _ = try? await connection.close()
            throw StorageError.databaseFailed(reason: PostgresDatabase.reason(error))
        }
        _ = try? await connection.close()
    }
}

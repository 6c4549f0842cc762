import CaravanStorage
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The PostgreSQL database: owns the connection pool, the schema's migrations, and the watch on the content version.
///
/// Build it from a URL, `migrate()`, then `run()` it for as long as it is used (in `caravan serve` it is one of the
/// ServiceLifecycle services); `withDatabase(url:_:)` does all three around a one-shot command or a test.
public final class PostgresDatabase: Service, Sendable {
    public let client: PostgresClient
    /// A read replica for the reader's pages, if one was given; the primary serves everything else.
    let replica: PostgresClient?
    /// HOST:PORT/DATABASE, for messages: never the password.
    public let location: String
    let logger: Logger
    private let server: String
    private let connectionConfiguration: PostgresConnection.Configuration
    private let versions = ContentVersionWatch()

    /// The channel the content_state triggers notify with the new version.
    static let contentChannel = "caravan_content"
    /// Advisory lock keys ("caravan" in ASCII and a number), held while migrating and while writing stories or rates.
    static let migrationLock: Int64 = 0x6361_7261_7661_6E01
    static let writerLock: Int64 = 0x6361_7261_7661_6E02

    /// Reads the URL (`postgres://USER:PASS@HOST:PORT/DB`); nothing is connected until `migrate()` or `run()`.
    public init(url: String, replicaURL: String? = nil, logger: Logger = Logger(label: "caravan.postgres")) throws {
        if let replicaURL {
            let address = try PostgresAddress(parsing: replicaURL)
            // Builds the TLS context now, so a bad certificate file is named at start-up rather than at first use.
            _ = try address.connectionConfiguration()
            replica = PostgresClient(configuration: address.clientConfiguration(), backgroundLogger: logger)
        } else {
            replica = nil
        }
        let address = try PostgresAddress(parsing: url)
        server = "\(address.host):\(address.port)"
        location = "\(server)/\(address.database ?? address.user)"
        self.logger = logger
        client = PostgresClient(configuration: address.clientConfiguration(), backgroundLogger: logger)
        connectionConfiguration = try address.connectionConfiguration()
    }

    /// Reads the URL and brings the schema up to date; then `run()` it.
    public static func open(url: String, logger: Logger = Logger(label: "caravan.postgres")) async throws
        -> PostgresDatabase
    {
        let database = try PostgresDatabase(url: url, logger: logger)
        try await database.migrate()
        return database
    }

    /// Opens and migrates the database, runs it for the length of `body`, and closes it: for commands and tests.
    public static func withDatabase<Result>(
        url: String, replicaURL: String? = nil, logger: Logger = Logger(label: "caravan.postgres"),
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresDatabase) async throws -> Result
    ) async throws -> Result {
        let database = try PostgresDatabase(url: url, replicaURL: replicaURL, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self, returning: Result.self, isolation: isolation) { group in
            group.addTask { try await database.run() }
            defer { group.cancelAll() }
            // Migrating on a connection of its own gives the pool time to start before the body's first query.
            try await database.migrate()
            return try await body(database)
        }
    }

    /// Runs the connection pool and the listener that keeps `contentVersion()` fresh, until cancelled or, under a
    /// ServiceGroup, until graceful shutdown. Call it once.
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.client.run() }
            if let replica = self.replica { group.addTask { await replica.run() } }
            group.addTask { await cancelWhenGracefulShutdown { await self.watchContentVersion() } }
        }
    }

    // MARK: Migrations

    /// Applies the migrations not yet recorded in `schema_migration`, each in its own transaction. An advisory lock
    /// makes instances that start together take turns, so each migration runs once.
    public func migrate() async throws {
        let connection = try await connect()
        do {
            try await connection.execute("SELECT pg_advisory_lock(\(Self.migrationLock))", logger: logger)
            try await connection.execute(
                "CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
                logger: logger)
            let applied = Set(
                try await connection.values("SELECT name FROM schema_migration", as: String.self, logger: logger))
            for migration in PostgresSchema.migrations where !applied.contains(migration.name) {
                do {
                    try await connection.withTransaction(logger: logger) { connection in
                        try await migration.apply(connection, logger)
                        let now = Int64(Date().timeIntervalSince1970)
                        try await connection.execute(
                            "INSERT INTO schema_migration (name, applied_at) VALUES (\(migration.name), \(now))",
                            logger: logger)
                    }
                } catch {
                    throw StorageError.migrationFailed(migration: migration.name, reason: Self.reason(error))
                }
                logger.debug(
                    "applied migration", metadata: ["migration": "\(migration.name)", "database": "\(location)"])
            }
            try await connection.execute("SELECT pg_advisory_unlock(\(Self.migrationLock))", logger: logger)
        } catch {
            // Closing the session releases the lock too.
            _ = try? await connection.close()
            throw Self.storageError(error)
        }
        _ = try? await connection.close()
    }

    /// The names of the migrations applied, in the order they were.
    func appliedMigrations() async throws -> [String] {
        try await read { connection in
            try await connection.values(
                "SELECT name FROM schema_migration ORDER BY name", as: String.self, logger: logger)
        }
    }

    // MARK: Content version

    /// The content version (it grows with every change to a story or a rate). While the listener is up it is kept
    /// in memory and moved on by NOTIFY, so another instance's change is seen at once; otherwise it is read from the
    /// table at most every 100 ms. A write through this instance is seen by the next call.
    public func contentVersion() async throws -> Int64 {
        if let known = versions.fresh() { return known }
        let generation = versions.generation
        let version = try await perform {
            try await client.withConnection { connection in
                try await connection.value(
                    "SELECT version FROM content_state WHERE id = 1", as: Int64.self, logger: logger) ?? 0
            }
        }
        versions.remember(version, generation: generation)
        return version
    }

    /// Calls `listener` whenever the listener hears of a content change (from any instance); nothing is called while
    /// it is not listening.
    func onContentChange(_ listener: @escaping @Sendable () -> Void) {
        versions.onChange(listener)
    }

    /// Throws unless the server answers a read now: what `/healthz` asks.
    public func checkHealth() async throws {
        do {
            _ = try await perform {
                try await client.withConnection { connection in
                    try await connection.value("SELECT version FROM content_state WHERE id = 1", as: Int64.self, logger: logger)
                }
            }
        } catch let error as StorageError {
            throw StorageError.unavailable(reason: "\(error)")
        }
    }

    /// True while the listener is up and the cached version follows NOTIFY.
    var isListeningForContentChanges: Bool { versions.isListening }

    /// Listens on a connection of its own (a pooled one may be closed at any time), reconnecting after failures.
    private func watchContentVersion() async {
        var delay = Duration.milliseconds(250)
        var failing = false
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: connectionConfiguration, id: 0, logger: logger)
                do {
                    try await connection.listen(on: Self.contentChannel) { notifications in
                        let generation = versions.generation
                        let version =
                            try await connection.value(
                                "SELECT version FROM content_state WHERE id = 1", as: Int64.self, logger: logger) ?? 0
                        versions.startedListening(at: version, generation: generation)
                        if failing {
                            logger.info("listening for content changes again", metadata: ["database": "\(location)"])
                        }
                        (failing, delay) = (false, .milliseconds(250))
                        for try await notification in notifications {
                            if let version = Int64(notification.payload) { versions.heard(version) }
                        }
                    }
                } catch {
                    versions.stoppedListening()
                    _ = try? await connection.close()
                    throw error
                }
                versions.stoppedListening()
                _ = try? await connection.close()
            } catch  where Self.isMissingTable(error) {
                // The schema is being created (withDatabase migrates while the pool starts): not a failure.
                logger.debug("waiting for the schema before listening", metadata: ["database": "\(location)"])
                try? await Task.sleep(for: .milliseconds(50))
                continue
            } catch {
                if !failing, !Task.isCancelled {
                    logger.warning(
                        "not listening for content changes; reading the version every 100 ms until back",
                        metadata: ["database": "\(location)", "reason": "\(Self.reason(error))"])
                }
                failing = true
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    // MARK: Transactions for the stores

    /// Runs `body` in a read-only REPEATABLE READ transaction: every query sees the same snapshot.
    func read<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// A read for the reader's pages: on the replica when there is one and it has replayed at least the content
    /// version this instance knows, otherwise on the primary. Pages are cached under that version, so a lagging
    /// replica must never render them.
    func readPublished<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        guard let replica else { return try await read(body) }
        let known = try await contentVersion()
        let outcome: ReplicaRead<Result> = try await transaction(
            on: replica, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        ) { connection in
            let replayed =
                try await connection.value(
                    "SELECT version FROM content_state WHERE id = 1", as: Int64.self, logger: logger) ?? 0
            guard replayed >= known else { return .behind }
            return .read(try await body(connection))
        }
        switch outcome {
        case .read(let result): return result
        case .behind: return try await read(body)
        }
    }

    /// A read for the reader's pages made of one statement, outside any transaction (a statement sees one snapshot),
    /// on the replica when there is one: the caller checks the content version the statement read.
    func readStatement<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await perform { try await (replica ?? client).withConnection { connection in try await body(connection) } }
    }

    /// Runs `body` in a transaction that holds the writer lock, so writers take turns as they do on SQLite (a slug
    /// chosen as free stays free until the commit). The content version is re-read after it.
    func write<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        defer { versions.invalidate() }
        return try await transaction("BEGIN") { connection in
            try await connection.execute("SELECT pg_advisory_xact_lock(\(Self.writerLock))", logger: logger)
            return try await body(connection)
        }
    }

    private func transaction<Result: Sendable>(
        on pool: PostgresClient? = nil, _ begin: PostgresQuery, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await perform {
            try await (pool ?? client).withConnection { connection in
                try await connection.execute(begin, logger: logger)
                do {
                    let result = try await body(connection)
                    try await connection.execute("COMMIT", logger: logger)
                    return result
                } catch {
                    try? await connection.execute("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }
    }

    /// Runs `body`, turning PostgreSQL's errors into a StorageError a person can act on.
    private func perform<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch {
            throw storageError(error)
        }
    }

    // MARK: Connections and errors

    private func connect() async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(configuration: connectionConfiguration, id: 0, logger: logger)
        } catch {
            throw StorageError.cannotConnect(location: server, reason: Self.reason(error))
        }
    }

    private func storageError(_ error: any Error) -> any Error {
        if let error = error as? StorageError { return error }
        if Self.isConnectionFailure(error) {
            return StorageError.cannotConnect(location: server, reason: Self.reason(error))
        }
        return StorageError.databaseFailed(reason: Self.reason(error))
    }

    private static func storageError(_ error: any Error) -> any Error {
        if let error = error as? StorageError { return error }
        return StorageError.databaseFailed(reason: reason(error))
    }

    private static func isMissingTable(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "42P01"
    }

    private static func isConnectionFailure(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        return [.connectionError, .serverClosedConnection, .uncleanShutdown, .poolClosed].contains(error.code)
    }

    /// What went wrong, in the server's words when it said something (PSQLError's own description hides them).
    static func reason(_ error: any Error) -> String {
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError {
                return reason(inner)
            }
        }
        if let error = error as? StorageError { return error.description }
        if let error = error as? PSQLError {
            if error.code == .sslUnsupported {
                return "the server does not offer TLS, which the URL's sslmode requires"
            }
            if let message = error.serverInfo?[.message] {
                let detail = error.serverInfo?[.detail].map { " (\($0))" } ?? ""
                return message + detail
            }
            if let underlying = error.underlying { return reason(underlying) }
            return "\(error.code)"
        }
        if let error = error as? NIOConnectionError {
            if let failure = error.connectionErrors.first { return reason(failure.error) }
            return "cannot find the host \(error.host)"
        }
        // The system's own sentence ("Connection refused"), without NIO's wrapping.
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        if error is NIOSSLError || error is NIOSSLExtraError { return tlsReason(error) }
        return String(describing: error)
    }

    /// TLS failures in an operator's words, with what to change in the URL.
    static func tlsReason(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "the server's TLS certificate is not signed by an authority this machine trusts "
                + "(name one with sslrootcert=PATH, or use sslmode=require to encrypt without checking)"
        }
        if text.contains("failedToValidateHostname") {
            return "the server's TLS certificate is not issued for this host name"
        }
        return "the TLS handshake failed: \(text)"
    }
}

/// The parts of a postgres:// URL.
struct PostgresAddress: Sendable, Hashable {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String?
    var security = TransportSecurity.prefer
    /// The certificate authorities to trust (`sslrootcert`), else the system's.
    var rootCertificates: String?
    /// `connect_timeout`, in seconds as libpq reads it.
    var connectTimeout: Int64 = 10
    /// `application_name`, shown in `pg_stat_activity`.
    var applicationName: String?

    /// libpq's `sslmode`, with libpq's meanings, so that a URL means here what it means to `psql`.
    enum TransportSecurity: String, Sendable, Hashable, CaseIterable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it, else plain; the certificate is not checked (libpq's `allow` is the same).
        case allow, prefer
        /// TLS or no connection; the certificate is not checked, unless `sslrootcert` names authorities (then as
        /// `verify-ca`, as libpq does).
        case require
        /// TLS with a certificate signed by a trusted authority, for any host name.
        case verifyCA = "verify-ca"
        /// TLS with a trusted certificate for this host name.
        case verifyFull = "verify-full"
    }

    init(parsing url: String) throws {
        let shown = Self.withoutPassword(url)
        guard let components = URLComponents(string: url),
            let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql"
        else { throw StorageError.malformedURL(shown, reason: "write it as postgres://USER:PASS@HOST:PORT/DB") }
        guard let host = components.host, !host.isEmpty else {
            throw StorageError.malformedURL(shown, reason: "it names no host (postgres://USER:PASS@HOST:PORT/DB)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw StorageError.malformedURL(shown, reason: "it names no user (postgres://USER:PASS@HOST:PORT/DB)")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw StorageError.malformedURL(shown, reason: "the port \(port) is out of range")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        if database.contains("/") {
            throw StorageError.malformedURL(shown, reason: "the database name \"\(database)\" contains a slash")
        }
        self.host = host
        port = components.port ?? 5432
        self.user = user
        password = components.password
        // Without a name, PostgreSQL opens the database named after the user.
        self.database = database.isEmpty ? nil : database
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TransportSecurity.init(rawValue:)) else {
                    let modes = TransportSecurity.allCases.map(\.rawValue).joined(separator: ", ")
                    throw StorageError.malformedURL(
                        shown, reason: "sslmode \"\(item.value ?? "")\" is not one of \(modes)")
                }
                security = mode
            case "sslrootcert":
                guard let path = item.value, !path.isEmpty, FileManager.default.isReadableFile(atPath: path) else {
                    throw StorageError.malformedURL(
                        shown, reason: "sslrootcert \"\(item.value ?? "")\" is not a readable file")
                }
                rootCertificates = path
            case "connect_timeout":
                guard let seconds = item.value.flatMap({ Int64($0) }), seconds > 0 else {
                    throw StorageError.malformedURL(
                        shown,
                        reason: "connect_timeout \"\(item.value ?? "")\" is not a whole number of seconds above 0")
                }
                connectTimeout = seconds
            case "application_name":
                applicationName = item.value
            default:
                throw StorageError.malformedURL(
                    shown,
                    reason: "the parameter \"\(item.name)\" is not understood "
                        + "(sslmode, sslrootcert, connect_timeout and application_name are)")
            }
        }
        // libpq refuses this too: checking the signature without the name, against every public authority, would
        // accept any certificate anyone can buy.
        if security == .verifyCA, rootCertificates == nil {
            throw StorageError.malformedURL(
                shown, reason: "sslmode=verify-ca needs sslrootcert=PATH (or use verify-full to check the host name)")
        }
    }

    /// What `sslmode` and `sslrootcert` ask for: nil for no TLS, else whether it is insisted on and how the server's
    /// certificate is checked. The pool and single connections both take their TLS from this.
    private var tlsPolicy: (insist: Bool, configuration: TLSConfiguration)? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification =
            switch security {
            case .disable, .allow, .prefer: .none
            case .require: rootCertificates == nil ? .none : .noHostnameVerification
            case .verifyCA: .noHostnameVerification
            case .verifyFull: .fullVerification
            }
        if let rootCertificates { configuration.trustRoots = .file(rootCertificates) }
        switch security {
        case .disable: return nil
        case .allow, .prefer: return (false, configuration)
        case .require, .verifyCA, .verifyFull: return (true, configuration)
        }
    }

    /// The pool's configuration: address, credentials, TLS, and a connect timeout.
    func clientConfiguration() -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database,
            tls: tlsPolicy.map { $0.insist ? .require($0.configuration) : .prefer($0.configuration) } ?? .disable)
        configuration.options.connectTimeout = .seconds(connectTimeout)
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    /// The same for a single connection (migrations, the change listener, administration).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var tls = PostgresConnection.Configuration.TLS.disable
        do {
            if let policy = tlsPolicy {
                let context = try NIOSSLContext(configuration: policy.configuration)
                tls = policy.insist ? .require(context) : .prefer(context)
            }
        } catch {
            throw StorageError.malformedURL(
                Self.withoutPassword("postgres://\(user)@\(host):\(port)"),
                reason: "its TLS settings cannot be used: \(error)")
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(connectTimeout)
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    private var startupParameters: [(String, String)] {
        applicationName.map { [("application_name", $0)] } ?? []
    }

    /// The URL with its password replaced by "***", fit for a message or a log.
    static func withoutPassword(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"), let at = url[schemeEnd.upperBound...].lastIndex(of: "@"),
            let colon = url[schemeEnd.upperBound..<at].firstIndex(of: ":")
        else { return url }
        return String(url[..<url.index(after: colon)]) + "***" + String(url[at...])
    }
}

/// The last content version known, and whether the listener keeps it current.
final class ContentVersionWatch: Sendable {
    private struct State {
        var version: Int64 = -1
        var readAt = ContinuousClock.Instant.now
        var listening = false
        /// Counts this instance's writes: a version read before the latest write is not fresh.
        var generation = 0
        var generationAtRead = -1
    }
    private let state = Mutex(State())

    var generation: Int { state.withLock { $0.generation } }

    func fresh() -> Int64? {
        state.withLock { state in
            guard state.version >= 0, state.generationAtRead == state.generation else { return nil }
            guard state.listening || ContinuousClock.now - state.readAt < .milliseconds(100) else { return nil }
            return state.version
        }
    }

    func remember(_ version: Int64, generation: Int) {
        state.withLock { state in
            // Versions only grow: a slow read must not undo a newer notification.
            state.version = max(state.version, version)
            state.readAt = .now
            if generation == state.generation { state.generationAtRead = generation }
        }
    }

    func invalidate() {
        state.withLock { $0.generation += 1 }
    }

    func startedListening(at version: Int64, generation: Int) {
        remember(version, generation: generation)
        state.withLock { $0.listening = true }
    }

    func heard(_ version: Int64) {
        state.withLock { $0.version = max($0.version, version) }
        for listener in listeners.withLock({ $0 }) { listener() }
    }

    /// Called after each content change another process (or this one) announced.
    private let listeners = Mutex<[@Sendable () -> Void]>([])

    func onChange(_ listener: @escaping @Sendable () -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    var isListening: Bool { state.withLock { $0.listening } }

    func stoppedListening() {
        state.withLock { $0.listening = false }
    }
}

/// What a read on the replica found: the answer, or that the replica had not caught up with the content version.
enum ReplicaRead<Result: Sendable>: Sendable {
    case read(Result)
    case behind
}

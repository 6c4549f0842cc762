import CaravanCore
import Foundation

/// Every store of one database, whichever engine holds it: what the commands and the composition root work with.
public struct Stores: Sendable {
    public let articles: any ArticleStore
    public let search: any SearchIndex
    public let rates: any RateStore
    public let newsroom: any NewsroomStore
    public let accounts: any AccountStore
    public let sessions: any SessionStore
    /// Lets one instance among several run each scheduled job.
    public let lease: any JobLease
    /// "SQLite" or "PostgreSQL", for messages.
    public let engine: String
    /// Throws unless the database is the one opened and answers a read now.
    public let checkHealth: @Sendable () async throws -> Void

    public init(
        articles: any ArticleStore, search: any SearchIndex, rates: any RateStore, newsroom: any NewsroomStore,
        accounts: any AccountStore, sessions: any SessionStore, lease: any JobLease, engine: String,
        checkHealth: @escaping @Sendable () async throws -> Void
    ) {
        self.checkHealth = checkHealth
        self.lease = lease
        self.articles = articles
        self.search = search
        self.rates = rates
        self.newsroom = newsroom
        self.accounts = accounts
        self.sessions = sessions
        self.engine = engine
    }

    public static func sqlite(_ database: SQLiteDatabase, timeZone: TimeZone) -> Stores {
        let accounts = SQLiteAccountStore(database: database)
        return Stores(
            articles: SQLiteArticleStore(database: database), search: FTS5SearchIndex(database: database, timeZone: timeZone),
            rates: SQLiteRateStore(database: database), newsroom: SQLiteNewsroomStore(database: database),
            accounts: accounts, sessions: accounts, lease: SQLiteJobLease(database: database), engine: "SQLite",
            checkHealth: database.checkHealth)
    }

    public static func postgres(_ database: PostgresDatabase, timeZone: TimeZone) -> Stores {
        let accounts = PostgresAccountStore(database: database)
        return Stores(
            articles: PostgresArticleStore(database: database),
            search: PostgresSearchIndex(database: database, timeZone: timeZone), rates: PostgresRateStore(database: database),
            newsroom: PostgresNewsroomStore(database: database), accounts: accounts, sessions: accounts,
            lease: PostgresJobLease(database: database), engine: "PostgreSQL", checkHealth: database.checkHealth)
    }

    /// Opens the database a URL names, brings its schema up to date, and runs `body` with its stores. A PostgreSQL
    /// connection pool runs for exactly as long as `body` does, so a server runs its whole life inside.
    /// A PostgreSQL `replica` serves the reader's pages and search whenever it has caught up with the primary.
    public static func with<T: Sendable>(
        _ url: DatabaseURL, replica: DatabaseURL? = nil, timeZone: TimeZone, _ body: (Stores) async throws -> T
    ) async throws -> T {
        var replicaAddress: String?
        switch replica {
        case nil: replicaAddress = nil
        case .postgres(let address)?: replicaAddress = address
        case .sqlite?: throw StorageError.unsupportedReplica
        }
        switch url {
        case .sqlite(let path):
            guard replicaAddress == nil else { throw StorageError.unsupportedReplica }
            return try await body(.sqlite(try SQLiteDatabase.open(path: path), timeZone: timeZone))
        case .postgres(let address):
            return try await PostgresDatabase.withDatabase(url: address, replicaURL: replicaAddress) { database in
                try await body(.postgres(database, timeZone: timeZone))
            }
        }
    }
}

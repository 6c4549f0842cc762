import CaravanStorage
import Foundation

extension Stores {
    /// Every store of one PostgreSQL database.
    public static func postgres(_ database: PostgresDatabase, timeZone: TimeZone) -> Stores {
        let accounts = PostgresAccountStore(database: database)
        return Stores(
            articles: PostgresArticleStore(database: database),
            search: PostgresSearchIndex(database: database, timeZone: timeZone), rates: PostgresRateStore(database: database),
            newsroom: PostgresNewsroomStore(database: database), accounts: accounts, sessions: accounts, media: PostgresMediaStore(database: database), redirects: PostgresRedirectStore(database: database),
            lease: PostgresJobLease(database: database), engine: "PostgreSQL", checkHealth: database.checkHealth)
    }
}

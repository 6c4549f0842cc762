import CaravanStorage
import Foundation

extension Stores {
    /// Every store of one SQLite database.
    public static func sqlite(_ database: SQLiteDatabase, timeZone: TimeZone) -> Stores {
        let accounts = SQLiteAccountStore(database: database)
        return Stores(
            articles: SQLiteArticleStore(database: database), search: SQLiteSearchIndex(database: database, timeZone: timeZone),
            rates: SQLiteRateStore(database: database), newsroom: SQLiteNewsroomStore(database: database),
            accounts: accounts, sessions: accounts, media: SQLiteMediaStore(database: database), redirects: SQLiteRedirectStore(database: database), lease: SQLiteJobLease(database: database), engine: "SQLite",
            checkHealth: database.checkHealth)
    }
}

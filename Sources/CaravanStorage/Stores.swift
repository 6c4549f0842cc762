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
    public let media: any MediaStore
    public let redirects: any RedirectStore
    /// Lets one instance among several run each scheduled job.
    public let lease: any JobLease
    /// "SQLite" or "PostgreSQL", for messages.
    public let engine: String
    /// Throws unless the database is the one opened and answers a read now.
    public let checkHealth: @Sendable () async throws -> Void

    public init(
        articles: any ArticleStore, search: any SearchIndex, rates: any RateStore, newsroom: any NewsroomStore,
        accounts: any AccountStore, sessions: any SessionStore, media: any MediaStore, redirects: any RedirectStore, lease: any JobLease, engine: String,
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
        self.media = media
        self.redirects = redirects
        self.engine = engine
    }
}

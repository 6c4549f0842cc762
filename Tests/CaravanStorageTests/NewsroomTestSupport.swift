import CaravanCore
import CaravanPostgres
import CaravanSQLite
import CaravanStorage
import Foundation
import Testing

/// One empty database seen through every store the newsroom's contracts touch.
struct NewsroomStores: Sendable {
    let newsroom: any NewsroomStore
    let articles: any ArticleStore
    let search: any SearchIndex
    let accounts: any AccountStore
    let sessions: any SessionStore
    let media: any MediaStore
}

/// SQLite always; PostgreSQL when CARAVAN_TEST_POSTGRES_URL names a server. Each run gets an empty database that
/// lives as long as the test's body: `try await backend.withStores { stores in … }`.
typealias NewsroomBackend = StorageBackend<NewsroomStores>

extension StorageBackend<NewsroomStores> {
    static var all: [NewsroomBackend] {
        StorageBackend.all(
            sqlite: { database in
                let accounts = SQLiteAccountStore(database: database)
                return NewsroomStores(
                    newsroom: SQLiteNewsroomStore(database: database),
                    articles: SQLiteArticleStore(database: database, clock: { Newsroom.day(0) }),
                    search: SQLiteSearchIndex(database: database, timeZone: TimeZone(identifier: "UTC")!),
                    accounts: accounts, sessions: accounts, media: SQLiteMediaStore(database: database))
            },
            postgres: { database in
                let accounts = PostgresAccountStore(database: database)
                return NewsroomStores(
                    newsroom: PostgresNewsroomStore(database: database),
                    articles: PostgresArticleStore(database: database, clock: { Newsroom.day(0) }),
                    search: PostgresSearchIndex(database: database, timeZone: TimeZone(identifier: "UTC")!),
                    accounts: accounts, sessions: accounts, media: PostgresMediaStore(database: database))
            })
    }
}

/// Small builders so each test reads as a story of the newsroom.
enum Newsroom {
    /// Whole seconds: stores keep times to the second.
    static func day(_ n: Int, hour: Int = 9) -> Date {
        Date(timeIntervalSince1970: 1_760_000_000 + Double(n) * 86_400 + Double(hour) * 3_600)
    }

    static func person(
        _ stores: NewsroomStores, _ name: String = "Dana Editor", role: Account.Role = .editor
    ) async throws -> Account {
        let email = name.lowercased().replacingOccurrences(of: " ", with: ".") + "@caravan.example"
        return try await stores.accounts.addAccount(email: email, name: name, role: role, passwordHash: "hash", now: day(0))
    }

    static func content(
        _ title: String, body: String = "The body of the story.", slug: String = "", section: String = "Economy",
        author: String = "Aigerim Sadykova", countries: [Country] = [.kazakhstan], tags: [String] = ["trade"],
        image: FeaturedImage? = nil
    ) -> StoryContent {
        StoryContent(
            title: title, standfirst: "", body: body, slug: slug, author: author, section: section, countries: countries,
            tags: tags, image: image)
    }

    /// A new draft, saved.
    @discardableResult
    static func draft(
        _ stores: NewsroomStores, _ id: Article.ID, _ content: StoryContent, by editor: Account, at time: Date = day(1)
    ) async throws -> Story {
        try await stores.newsroom.save(
            StoryChange(id: id, content: content, status: .draft, action: .created, editor: editor, basedOn: nil),
            now: time)
    }

    /// Saves the story's next state, based on the revision the store holds now.
    @discardableResult
    static func next(
        _ stores: NewsroomStores, _ story: Story, content: StoryContent? = nil, status: Article.Status? = nil,
        publishAt: Date? = nil, action: StoryAction = .edited, by editor: Account, at time: Date
    ) async throws -> Story {
        try await stores.newsroom.save(
            StoryChange(
                id: story.article.id, content: content ?? story.content, status: status ?? story.article.status,
                publishAt: publishAt, action: action, editor: editor, basedOn: story.revision),
            now: time)
    }

    /// How many published stories the reader's search finds for the words.
    static func found(_ stores: NewsroomStores, _ words: String) async throws -> Int {
        try await stores.search.search(SearchRequest(text: words)).range.total
    }

    static func latestTotal(_ stores: NewsroomStores) async throws -> Int {
        try await stores.articles.listing(.latest, page: 1, perPage: 10)?.range.total ?? -1
    }
}

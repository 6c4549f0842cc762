import CaravanCore
import CaravanStorage
import Foundation
import GRDB
import Synchronization

/// The SQLite database: owns the connection pool and the schema's migrations.
public struct SQLiteDatabase: Sendable {
    public let writer: any DatabaseWriter
    private let versions = ContentVersionCache()

    /// Opens the file at `path` in WAL mode, checks it, and brings its schema up to date.
    ///
    /// The file is created only where no database was ever opened: a marker beside it (`.NAME.caravan`) remembers
    /// that one was, so a deleted or moved database is refused instead of silently replaced by an empty one.
    public static func open(path: String) throws -> SQLiteDatabase {
        let file = URL(fileURLWithPath: path)
        let folder = file.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw StorageError.cannotOpen(path: path, reason: "the folder \(folder) does not exist")
        }
        let marker = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).caravan").path
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists, FileManager.default.fileExists(atPath: marker) {
            throw StorageError.cannotOpen(
                path: path,
                reason: "the file is gone, though a database was opened there before; restore it from a backup, "
                    + "or delete \(marker) to start an empty one")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration())
            try pool.read { db in
                // quick_check reads every page once: a damaged file is refused here, not found by the first reader.
                let verdict = try String.fetchAll(db, sql: "PRAGMA quick_check(3)")
                guard verdict == ["ok"] else {
                    throw StorageError.cannotOpen(
                        path: path, reason: "the file is damaged (\(verdict.joined(separator: "; "))); restore it from a backup")
                }
            }
            if !FileManager.default.fileExists(atPath: marker) {
                _ = FileManager.default.createFile(atPath: marker, contents: Data("Caravan opened \(file.lastPathComponent) here.\n".utf8))
            }
            return try SQLiteDatabase(writer: pool, file: DatabaseFile(path: path))
        } catch let error as DatabaseError {
            let reason = error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT
                ? "the file is not a SQLite database or it is damaged; restore it from a backup"
                : error.message ?? "\(error.resultCode)"
            throw StorageError.cannotOpen(path: path, reason: reason)
        }
    }

    /// A private in-memory database, for tests and for `caravan eval`.
    public static func inMemory() throws -> SQLiteDatabase {
        try SQLiteDatabase(writer: DatabaseQueue(configuration: configuration()))
    }

    /// The file this database was opened from; nil in memory.
    let file: DatabaseFile?

    init(writer: any DatabaseWriter, file: DatabaseFile? = nil) throws {
        self.writer = writer
        self.file = file
        try Self.migrator.migrate(writer)
        writer.add(transactionObserver: versions.observer, extent: .databaseLifetime)
        if let file { writer.add(transactionObserver: FileGuard(file: file), extent: .databaseLifetime) }
    }

    /// Throws unless the file is still the one opened and a read succeeds: what `/healthz` asks.
    public func checkHealth() async throws {
        try file?.checkStillThere()
        do {
            _ = try await writer.read(Self.contentVersion)
        } catch let error as DatabaseError {
            throw StorageError.unavailable(reason: error.message ?? "\(error.resultCode)")
        }
    }

    /// The content version (it grows with every change to a story or a rate), read from the database at most every
    /// 100 ms: pages check it on every request, and a read per request would cost more than serving a cached page.
    /// Commits made through this process are seen at once; another process's within 100 ms.
    public func contentVersion() async throws -> Int64 {
        if let known = versions.fresh() { return known }
        let generation = versions.generation
        let version = try await writer.read(Self.contentVersion)
        versions.remember(version, generation: generation)
        return version
    }

    /// The content version as the given transaction sees it.
    static func contentVersion(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT version FROM content_state WHERE id = 1")) ?? 0
    }

    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // WAL makes NORMAL durable across application crashes; only a power cut can lose the last commit.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    /// Numbered, append-only migrations: never edit one that has shipped, add the next.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("001 articles") { db in
            try db.execute(sql: Schema.articles)
            for country in Country.allCases {
                try db.execute(
                    sql: "INSERT INTO country (code, slug, name) VALUES (?, ?, ?)",
                    arguments: [country.code, country.slug, country.name])
            }
        }
        migrator.registerMigration("002 search vocabulary") { db in
            try db.execute(sql: Schema.vocabulary)
            // Stories already stored join the vocabulary now; triggers keep it from here on.
            try db.execute(
                sql: """
                    INSERT INTO article_words (rowid, title, standfirst, body_text)
                    SELECT number, title, standfirst, body_text FROM article WHERE status = 'published'
                    """)
        }
        migrator.registerMigration("003 rates") { db in
            try db.execute(sql: Schema.rates)
        }
        migrator.registerMigration("004 search facts") { db in
            // What search joins on, without the story's text: a row of the article table carries three long text
            // columns before these, and reading past them costs overflow pages on every match.
            try db.execute(sql: "CREATE INDEX article_search_facts ON article(number, status, published_at, section_id, language)")
        }
        migrator.registerMigration("005 newsroom") { db in
            try db.execute(sql: Schema.newsroom)
            // Stories already public have settled slugs: from now on a change of slug leaves a redirect behind.
            try db.execute(sql: "UPDATE article SET first_published_at = published_at WHERE status = 'published'")
        }
        migrator.registerMigration("006 job runs") { db in
            try db.execute(sql: Schema.jobRuns)
        }
        migrator.registerMigration("007 search changes") { db in
            try db.execute(sql: Schema.searchChanges)
            // The stories already indexed are the archive index's first changes.
            try db.execute(
                sql: "INSERT INTO article_search_change (article_number) SELECT number FROM article WHERE status = 'published'")
        }
        migrator.registerMigration("008 bodies by cmark-gfm") { db in
            // Bodies were rendered by Ink, which ran paragraphs together and took some text for tags: render every
            // stored body again with the renderer that writes new ones, so the archive reads as new stories do.
            // In pages of 500, so an archive of any size is never all in memory at once.
            let page = try db.makeStatement(
                sql: "SELECT number, body, standfirst, body_html, body_text, excerpt FROM article WHERE number > ? ORDER BY number LIMIT 500")
            let update = try db.makeStatement(sql: "UPDATE article SET body_html = ?, body_text = ?, excerpt = ? WHERE number = ?")
            var after: Int64 = 0
            while case let stored = try Row.fetchAll(page, arguments: [after]), let last = stored.last {
                for row in stored {
                    let now = PreparedArticle.rendered(body: row["body"], standfirst: row["standfirst"])
                    guard now.html != row["body_html"] || now.text != row["body_text"] || now.excerpt != row["excerpt"] else { continue }
                    try update.execute(arguments: [now.html, now.text, now.excerpt, row["number"] as Int64])
                }
                after = last["number"]
            }
        }
        migrator.registerMigration("010 media") { db in
            try db.execute(sql: Schema.media)
        }
        migrator.registerMigration("011 redirects") { db in
            // The old site's addresses (a WordPress import's), each to where its content lives now.
            try db.execute(sql: "CREATE TABLE redirect (from_path TEXT PRIMARY KEY, to_path TEXT NOT NULL)")
        }
        return migrator
    }
}

/// The last content version read, and a count of this process's commits that changed content since.
final class ContentVersionCache: Sendable {
    private struct State {
        var version: Int64 = -1
        var readAt = ContinuousClock.Instant.now
        var generationAtRead = -1
    }
    private let state = Mutex(State())
    let observer: CommitObserver
    var generation: Int { observer.generation }

    init() {
        observer = CommitObserver()
    }

    func fresh() -> Int64? {
        let generation = observer.generation
        return state.withLock { state in
            guard state.generationAtRead == generation, ContinuousClock.now - state.readAt < .milliseconds(100) else { return nil }
            return state.version
        }
    }

    func remember(_ version: Int64, generation: Int) {
        state.withLock { state in
            state.version = version
            state.readAt = .now
            state.generationAtRead = generation
        }
    }
}

/// Counts commits that touched `content_state`, which triggers update for every change to a story or a rate.
final class CommitObserver: TransactionObserver, Sendable {
    private let commits = Mutex(0)
    private let pending = Mutex(false)
    var generation: Int { commits.withLock { $0 } }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        eventKind.tableName == "content_state"
    }

    func databaseDidChange(with event: DatabaseEvent) {
        pending.withLock { $0 = true }
    }

    func databaseDidCommit(_ db: Database) {
        guard pending.withLock({ let was = $0; $0 = false; return was }) else { return }
        commits.withLock { $0 += 1 }
    }

    func databaseDidRollback(_ db: Database) {
        pending.withLock { $0 = false }
    }
}

/// The database file as opened: a deleted or replaced file keeps its old contents open under SQLite, which would go on
/// answering and committing into a file nobody will ever read again.
struct DatabaseFile: Sendable {
    let path: String
    let device: UInt64
    let inode: UInt64

    init(path: String) throws {
        guard let identity = Self.identity(of: path) else {
            throw StorageError.cannotOpen(path: path, reason: "the file vanished while it was being opened")
        }
        self.path = path
        (device, inode) = identity
    }

    func checkStillThere() throws {
        guard let identity = Self.identity(of: path) else {
            throw StorageError.unavailable(reason: "the database file \(path) is gone")
        }
        guard identity == (device, inode) else {
            throw StorageError.unavailable(reason: "the database file \(path) was replaced since it was opened")
        }
    }

    private static func identity(of path: String) -> (UInt64, UInt64)? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return (UInt64(status.st_dev), UInt64(status.st_ino))
    }
}

/// Refuses every commit once the file is gone, so a write fails loudly instead of being lost. GRDB asks every observer
/// before each commit, so it needs no row events (which would cost a call per row on imports).
final class FileGuard: TransactionObserver, Sendable {
    let file: DatabaseFile
    init(file: DatabaseFile) { self.file = file }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseWillCommit() throws { try file.checkStillThere() }
    func databaseDidCommit(_ db: Database) {}
    func databaseDidRollback(_ db: Database) {}
}

enum Schema {
    /// A log of every story whose searchable text entered, changed in or left the search table, in commit order: what
    /// the archive index in memory reads to catch up with the database.
    /// The media library: a photograph's words, and its files' bytes in the database, so a copy of the one file
    /// (or `caravan copy` to PostgreSQL) takes the pictures with the stories.
    static let media = """
        CREATE TABLE media (
            id TEXT PRIMARY KEY,
            file TEXT NOT NULL UNIQUE,
            alt TEXT NOT NULL DEFAULT '',
            caption TEXT NOT NULL DEFAULT '',
            credit TEXT NOT NULL DEFAULT '',
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            uploaded_at INTEGER NOT NULL
        );
        CREATE INDEX media_by_upload ON media(uploaded_at);
        CREATE TABLE media_file (
            file TEXT NOT NULL,
            name TEXT NOT NULL,
            format TEXT NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            length INTEGER NOT NULL,
            bytes BLOB NOT NULL,
            PRIMARY KEY (file, name)
        );
        ALTER TABLE article ADD COLUMN image_media TEXT;
        CREATE INDEX article_by_image_media ON article(image_media) WHERE image_media IS NOT NULL;
        -- A photograph's words are on the pages of the stories that show it.
        CREATE TRIGGER content_version_media_update AFTER UPDATE ON media BEGIN
            UPDATE content_state SET version = version + 1 WHERE id = 1;
        END;
        CREATE TRIGGER content_version_media_delete AFTER DELETE ON media BEGIN
            UPDATE content_state SET version = version + 1 WHERE id = 1;
        END;
        """

    static let searchChanges = """
        CREATE TABLE article_search_change (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            article_number INTEGER NOT NULL
        );
        CREATE TRIGGER article_search_change_insert AFTER INSERT ON article WHEN new.status = 'published' BEGIN
            INSERT INTO article_search_change (article_number) VALUES (new.number);
        END;
        CREATE TRIGGER article_search_change_delete AFTER DELETE ON article WHEN old.status = 'published' BEGIN
            INSERT INTO article_search_change (article_number) VALUES (old.number);
        END;
        CREATE TRIGGER article_search_change_update AFTER UPDATE OF title, standfirst, body_text, status ON article
        WHEN old.status = 'published' OR new.status = 'published' BEGIN
            INSERT INTO article_search_change (article_number) VALUES (old.number);
            INSERT INTO article_search_change (article_number) SELECT new.number WHERE new.number != old.number;
        END;
        """

    /// One row per run of a background job that only one instance may do (a scheduled rates fetch).
    static let jobRuns = """
        CREATE TABLE job_run (
            job TEXT NOT NULL,
            run TEXT NOT NULL,
            holder TEXT NOT NULL,
            claimed_at INTEGER NOT NULL,
            PRIMARY KEY (job, run)
        ) WITHOUT ROWID;
        """

    /// Every candidate rate: a bank's own, and crosses through another bank's quotes (cross_via names the bridge).
    static let rates = """
        CREATE TABLE rate (
            currency TEXT NOT NULL,
            effective_date TEXT NOT NULL,
            source TEXT NOT NULL,
            cross_via TEXT NOT NULL DEFAULT '',
            per_usd TEXT NOT NULL,
            fetched_at INTEGER NOT NULL,
            PRIMARY KEY (currency, effective_date, source, cross_via)
        ) WITHOUT ROWID;
        CREATE INDEX rate_by_date ON rate(effective_date);
        -- The ticker is on every page, so new rates make cached pages stale too.
        CREATE TRIGGER content_version_rate_insert AFTER INSERT ON rate BEGIN
            UPDATE content_state SET version = version + 1 WHERE id = 1;
        END;
        CREATE TRIGGER content_version_rate_update AFTER UPDATE ON rate BEGIN
            UPDATE content_state SET version = version + 1 WHERE id = 1;
        END;
        """

    /// The people of the newsroom, their sessions, and every story's history and former addresses. Times are Unix
    /// seconds, like the article table's.
    static let newsroom = """
        CREATE TABLE account (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE invitation (
            token TEXT PRIMARY KEY,
            email TEXT NOT NULL,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            invited_by INTEGER NOT NULL REFERENCES account(id),
            expires_at INTEGER NOT NULL
        );
        CREATE TABLE sign_in_failure (
            email TEXT NOT NULL,
            at INTEGER NOT NULL
        );
        CREATE INDEX sign_in_failure_by_email ON sign_in_failure(email, at);
        CREATE TABLE session (
            key TEXT PRIMARY KEY,
            data BLOB NOT NULL,
            expires_at INTEGER
        );
        CREATE INDEX session_by_expiry ON session(expires_at);

        ALTER TABLE article ADD COLUMN owner_id INTEGER REFERENCES account(id);
        ALTER TABLE article ADD COLUMN publish_at INTEGER;
        ALTER TABLE article ADD COLUMN first_published_at INTEGER;
        ALTER TABLE article ADD COLUMN image_url TEXT;
        ALTER TABLE article ADD COLUMN image_caption TEXT NOT NULL DEFAULT '';
        ALTER TABLE article ADD COLUMN image_credit TEXT NOT NULL DEFAULT '';
        -- The scheduler's question every minute: which scheduled stories are due.
        CREATE INDEX article_by_publish_time ON article(status, publish_at);
        -- The newsroom's story list: last changed first, whatever the status.
        CREATE INDEX article_by_update ON article(updated_at DESC, number DESC);
        CREATE INDEX article_by_owner ON article(owner_id, updated_at DESC);

        -- Content is the StoryContent as JSON; changed lists StoryField raw values, comma-separated.
        CREATE TABLE revision (
            article_number INTEGER NOT NULL REFERENCES article(number) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            saved_at INTEGER NOT NULL,
            editor_id INTEGER REFERENCES account(id),
            editor_name TEXT NOT NULL,
            action TEXT NOT NULL,
            status TEXT NOT NULL,
            content TEXT NOT NULL,
            changed TEXT NOT NULL,
            restored_from INTEGER,
            PRIMARY KEY (article_number, number)
        );
        CREATE TABLE slug_redirect (
            old_slug TEXT PRIMARY KEY,
            article_number INTEGER NOT NULL REFERENCES article(number) ON DELETE CASCADE
        ) WITHOUT ROWID;
        CREATE INDEX slug_redirect_by_article ON slug_redirect(article_number);
        """

    /// The words of published stories as written (no stemming), for spelling suggestions: the search index
    /// itself holds stems ("elect"), and a suggestion must be a word a reader would type ("election").
    static let vocabulary = """
        CREATE VIRTUAL TABLE article_words USING fts5(
            title, standfirst, body_text, content = '', detail = none,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE article_words_vocab USING fts5vocab(article_words, 'row');
        CREATE TRIGGER article_words_insert AFTER INSERT ON article WHEN new.status = 'published' BEGIN
            INSERT INTO article_words (rowid, title, standfirst, body_text)
            VALUES (new.number, new.title, new.standfirst, new.body_text);
        END;
        CREATE TRIGGER article_words_delete AFTER DELETE ON article WHEN old.status = 'published' BEGIN
            INSERT INTO article_words (article_words, rowid, title, standfirst, body_text)
            VALUES ('delete', old.number, old.title, old.standfirst, old.body_text);
        END;
        CREATE TRIGGER article_words_update AFTER UPDATE OF title, standfirst, body_text, status ON article BEGIN
            INSERT INTO article_words (article_words, rowid, title, standfirst, body_text)
            SELECT 'delete', old.number, old.title, old.standfirst, old.body_text WHERE old.status = 'published';
            INSERT INTO article_words (rowid, title, standfirst, body_text)
            SELECT new.number, new.title, new.standfirst, new.body_text WHERE new.status = 'published';
        END;
        """

    static let articles = """
        CREATE TABLE country (
            code TEXT PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL
        );
        CREATE TABLE section (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL
        );
        CREATE TABLE tag (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL
        );
        CREATE TABLE author (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL
        );
        CREATE TABLE article (
            number INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            slug TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            standfirst TEXT NOT NULL,
            body TEXT NOT NULL,
            body_html TEXT NOT NULL,
            body_text TEXT NOT NULL,
            excerpt TEXT NOT NULL,
            author_id INTEGER REFERENCES author(id),
            section_id INTEGER REFERENCES section(id),
            language TEXT NOT NULL,
            status TEXT NOT NULL,
            published_at INTEGER,
            updated_at INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            source_hash TEXT NOT NULL
        );
        CREATE INDEX article_by_status ON article(status, published_at DESC, number DESC);
        CREATE INDEX article_by_section ON article(section_id, status, published_at DESC);
        CREATE INDEX article_by_author ON article(author_id, status, published_at DESC);
        CREATE TABLE article_country (
            country_code TEXT NOT NULL REFERENCES country(code),
            article_number INTEGER NOT NULL REFERENCES article(number) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            PRIMARY KEY (country_code, article_number)
        ) WITHOUT ROWID;
        CREATE INDEX article_country_by_article ON article_country(article_number);
        CREATE TABLE article_tag (
            tag_id INTEGER NOT NULL REFERENCES tag(id),
            article_number INTEGER NOT NULL REFERENCES article(number) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            PRIMARY KEY (tag_id, article_number)
        ) WITHOUT ROWID;
        CREATE INDEX article_tag_by_article ON article_tag(article_number);

        -- Bumped by every change to a story, so page caches and ETags in any process can tell they are stale.
        CREATE TABLE content_state (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
        INSERT INTO content_state (id, version) VALUES (1, 0);
        CREATE TRIGGER content_version_insert AFTER INSERT ON article BEGIN
            UPDATE content_state SET version = version + 1 WHERE id = 1;
        END;
        CREATE TRIGGER content_version_update AFTER UPDATE ON article BEGIN
            UPDATE content_state SET version = version + 1 WHERE id = 1;
        END;
        CREATE TRIGGER content_version_delete AFTER DELETE ON article BEGIN
            UPDATE content_state SET version = version + 1 WHERE id = 1;
        END;

        -- The search index holds published stories only; triggers keep it in the writing transaction.
        CREATE VIRTUAL TABLE article_search USING fts5(
            title, standfirst, body_text,
            content = 'article', content_rowid = 'number',
            tokenize = 'porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER article_search_insert AFTER INSERT ON article WHEN new.status = 'published' BEGIN
            INSERT INTO article_search (rowid, title, standfirst, body_text)
            VALUES (new.number, new.title, new.standfirst, new.body_text);
        END;
        CREATE TRIGGER article_search_delete AFTER DELETE ON article WHEN old.status = 'published' BEGIN
            INSERT INTO article_search (article_search, rowid, title, standfirst, body_text)
            VALUES ('delete', old.number, old.title, old.standfirst, old.body_text);
        END;
        -- One trigger, two statements in order: the old tokens must leave before the new ones arrive.
        CREATE TRIGGER article_search_update AFTER UPDATE OF title, standfirst, body_text, status ON article BEGIN
            INSERT INTO article_search (article_search, rowid, title, standfirst, body_text)
            SELECT 'delete', old.number, old.title, old.standfirst, old.body_text WHERE old.status = 'published';
            INSERT INTO article_search (rowid, title, standfirst, body_text)
            SELECT new.number, new.title, new.standfirst, new.body_text WHERE new.status = 'published';
        END;
        """
}

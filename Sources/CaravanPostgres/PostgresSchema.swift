import CaravanCore
import CaravanStorage
import Logging
import PostgresNIO

/// One numbered step of the PostgreSQL schema.
struct PostgresMigration: Sendable {
    let name: String
    let apply: @Sendable (PostgresConnection, Logger) async throws -> Void

    /// A migration that runs a script of statements, in order.
    init(_ name: String, sql: String) {
        self.name = name
        apply = { connection, logger in
            for statement in SQLScript.statements(sql) {
                try await connection.execute(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
    }

    init(_ name: String, apply: @escaping @Sendable (PostgresConnection, Logger) async throws -> Void) {
        self.name = name
        self.apply = apply
    }
}

/// The PostgreSQL schema: the SQLite schema column for column (same names, times as Unix seconds, INTEGER as BIGINT),
/// so `caravan copy` can move any table between the two. SQLite's FTS5 tables have no counterpart here; search has
/// its own migration, "002 search".
enum PostgresSchema {
    /// Numbered, append-only migrations: never edit one that has shipped, add the next. The numbers match SQLite's.
    static let migrations: [PostgresMigration] = [
        PostgresMigration("001 articles") { connection, logger in
            for statement in SQLScript.statements(articles) {
                try await connection.execute(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            for country in Country.allCases {
                try await connection.execute(
                    "INSERT INTO country (code, slug, name) VALUES (\(country.code), \(country.slug), \(country.name))",
                    logger: logger)
            }
        },
        PostgresMigration("002 search", sql: PostgresSearchSchema.migrationSQL),
        PostgresMigration("003 rates", sql: rates),
        // SQLite's covering index for search joins; the same columns serve PostgreSQL's planner.
        PostgresMigration(
            "004 search facts",
            sql: "CREATE INDEX article_search_facts ON article(number, status, published_at, section_id, language)"),
        PostgresMigration("005 newsroom", sql: newsroom),
        PostgresMigration("006 job runs", sql: jobRuns),
        // SQLite's 007 came to PostgreSQL later, as 009.
        PostgresMigration("008 bodies by cmark-gfm") { connection, logger in
            // Bodies were rendered by Ink: render every stored body again with the renderer that writes new ones.
            // In pages of 500, so an archive of any size is never all in memory at once.
            var after: Int64 = 0
            while true {
                var stored: [(Int64, String, String, String, String, String)] = []
                let rows = try await connection.query(
                    """
                    SELECT number, body, standfirst, body_html, body_text, excerpt FROM article
                    WHERE number > \(after) ORDER BY number LIMIT 500
                    """, logger: logger)
                for try await row in rows.decode((Int64, String, String, String, String, String).self) { stored.append(row) }
                guard let last = stored.last else { break }
                for (number, body, standfirst, html, text, excerpt) in stored {
                    let now = PreparedArticle.rendered(body: body, standfirst: standfirst)
                    guard now.html != html || now.text != text || now.excerpt != excerpt else { continue }
                    try await connection.execute(
                        "UPDATE article SET body_html = \(now.html), body_text = \(now.text), excerpt = \(now.excerpt) WHERE number = \(number)",
                        logger: logger)
                }
                after = last.0
            }
        },
        PostgresMigration("009 search changes", sql: searchChanges),
        // SQLite has no 009; the numbers meet again here.
        PostgresMigration("010 media", sql: media),
        PostgresMigration("011 redirects", sql: "CREATE TABLE redirect (from_path TEXT PRIMARY KEY, to_path TEXT NOT NULL)"),
    ]

    /// The media library, as on SQLite: the files' bytes live in the database, so every instance serves them.
    static let media = """
        CREATE TABLE media (
            id TEXT PRIMARY KEY,
            file TEXT NOT NULL UNIQUE,
            alt TEXT NOT NULL DEFAULT '',
            caption TEXT NOT NULL DEFAULT '',
            credit TEXT NOT NULL DEFAULT '',
            width BIGINT NOT NULL,
            height BIGINT NOT NULL,
            uploaded_at BIGINT NOT NULL
        );
        CREATE INDEX media_by_upload ON media(uploaded_at);
        CREATE TABLE media_file (
            file TEXT NOT NULL,
            name TEXT NOT NULL,
            format TEXT NOT NULL,
            width BIGINT NOT NULL,
            height BIGINT NOT NULL,
            length BIGINT NOT NULL,
            bytes BYTEA NOT NULL,
            PRIMARY KEY (file, name)
        );
        -- Pictures are compressed already.
        ALTER TABLE media_file ALTER COLUMN bytes SET STORAGE EXTERNAL;
        ALTER TABLE article ADD COLUMN image_media TEXT;
        CREATE INDEX article_by_image_media ON article(image_media) WHERE image_media IS NOT NULL;
        -- A photograph's words are on the pages of the stories that show it.
        CREATE TRIGGER content_version_media AFTER UPDATE OR DELETE ON media
            FOR EACH ROW EXECUTE FUNCTION content_version_bump();
        """

    /// One row per run of a background job that only one instance may do (a scheduled rates fetch).
    static let jobRuns = """
        CREATE TABLE job_run (
            job TEXT NOT NULL,
            run TEXT NOT NULL,
            holder TEXT NOT NULL,
            claimed_at BIGINT NOT NULL,
            PRIMARY KEY (job, run)
        );
        """

    static let articles = """
        CREATE TABLE country (
            code TEXT PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL
        );
        CREATE TABLE section (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL
        );
        CREATE TABLE tag (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL
        );
        CREATE TABLE author (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL
        );
        CREATE TABLE article (
            number BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            slug TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            standfirst TEXT NOT NULL,
            body TEXT NOT NULL,
            body_html TEXT NOT NULL,
            body_text TEXT NOT NULL,
            excerpt TEXT NOT NULL,
            author_id BIGINT REFERENCES author(id),
            section_id BIGINT REFERENCES section(id),
            language TEXT NOT NULL,
            status TEXT NOT NULL,
            published_at BIGINT,
            updated_at BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            source_hash TEXT NOT NULL
        );
        CREATE INDEX article_by_status ON article(status, published_at DESC, number DESC);
        CREATE INDEX article_by_section ON article(section_id, status, published_at DESC);
        CREATE INDEX article_by_author ON article(author_id, status, published_at DESC);
        CREATE TABLE article_country (
            country_code TEXT NOT NULL REFERENCES country(code),
            article_number BIGINT NOT NULL REFERENCES article(number) ON DELETE CASCADE,
            position BIGINT NOT NULL,
            PRIMARY KEY (country_code, article_number)
        );
        CREATE INDEX article_country_by_article ON article_country(article_number);
        CREATE TABLE article_tag (
            tag_id BIGINT NOT NULL REFERENCES tag(id),
            article_number BIGINT NOT NULL REFERENCES article(number) ON DELETE CASCADE,
            position BIGINT NOT NULL,
            PRIMARY KEY (tag_id, article_number)
        );
        CREATE INDEX article_tag_by_article ON article_tag(article_number);

        -- Bumped by every change to a story, so page caches and ETags in any process can tell they are stale.
        CREATE TABLE content_state (id BIGINT PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL);
        INSERT INTO content_state (id, version) VALUES (1, 0);
        -- Once per transaction, not per row as on SQLite: a thousand updates of one row in one transaction leave a
        -- chain of a thousand versions that every later update walks. A transaction-local setting remembers the bump.
        CREATE FUNCTION content_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF current_setting('caravan.content_version_bumped', true) IS DISTINCT FROM 'on' THEN
                UPDATE content_state SET version = version + 1 WHERE id = 1;
                PERFORM set_config('caravan.content_version_bumped', 'on', true);
            END IF;
            RETURN NULL;
        END;
        $$;
        CREATE TRIGGER content_version_article AFTER INSERT OR UPDATE OR DELETE ON article
            FOR EACH ROW EXECUTE FUNCTION content_version_bump();
        -- Runs at commit, so the other instances hear of the version only once it is visible to them.
        CREATE FUNCTION content_version_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('caravan_content', (SELECT version FROM content_state WHERE id = 1)::text);
            RETURN NULL;
        END;
        $$;
        CREATE CONSTRAINT TRIGGER content_version_notify AFTER UPDATE ON content_state
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION content_version_notify();
        """

    /// A log of every story whose searchable text entered, changed in or left the search, in commit order: what each
    /// instance's archive index in memory reads to catch up with the database. Sequence numbers are handed out under
    /// the writers' lock (which Caravan's writers already hold), so a later number never becomes visible before an
    /// earlier one. An import's many rows are logged by one statement.
    static let searchChanges = """
        CREATE TABLE article_search_change (
            sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            article_number BIGINT NOT NULL
        );
        CREATE FUNCTION article_search_change_added() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock(\(PostgresDatabase.writerLock));
            INSERT INTO article_search_change (article_number)
            SELECT number FROM added WHERE status = 'published' ORDER BY number;
            RETURN NULL;
        END;
        $$;
        CREATE TRIGGER article_search_change_insert AFTER INSERT ON article REFERENCING NEW TABLE AS added
            FOR EACH STATEMENT EXECUTE FUNCTION article_search_change_added();
        CREATE FUNCTION article_search_change_note() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock(\(PostgresDatabase.writerLock));
            INSERT INTO article_search_change (article_number) VALUES (OLD.number);
            IF TG_OP = 'UPDATE' AND NEW.number <> OLD.number THEN
                INSERT INTO article_search_change (article_number) VALUES (NEW.number);
            END IF;
            RETURN NULL;
        END;
        $$;
        CREATE TRIGGER article_search_change_delete AFTER DELETE ON article
            FOR EACH ROW WHEN (OLD.status = 'published') EXECUTE FUNCTION article_search_change_note();
        CREATE TRIGGER article_search_change_update AFTER UPDATE OF title, standfirst, body_text, status ON article
            FOR EACH ROW WHEN (OLD.status = 'published' OR NEW.status = 'published')
            EXECUTE FUNCTION article_search_change_note();
        -- The stories already published are the archive index's first changes.
        INSERT INTO article_search_change (article_number) SELECT number FROM article WHERE status = 'published';
        """

    /// Every candidate rate: a bank's own, and crosses through another bank's quotes (cross_via names the bridge).
    /// per_usd is decimal text, as in SQLite: exact, and copied between the two without conversion.
    static let rates = """
        CREATE TABLE rate (
            currency TEXT COLLATE "C" NOT NULL,
            effective_date TEXT COLLATE "C" NOT NULL,
            source TEXT COLLATE "C" NOT NULL,
            cross_via TEXT COLLATE "C" NOT NULL DEFAULT '',
            per_usd TEXT NOT NULL,
            fetched_at BIGINT NOT NULL,
            PRIMARY KEY (currency, effective_date, source, cross_via)
        );
        CREATE INDEX rate_by_date ON rate(effective_date);
        -- The ticker is on every page, so new rates make cached pages stale too.
        CREATE TRIGGER content_version_rate AFTER INSERT OR UPDATE ON rate
            FOR EACH ROW EXECUTE FUNCTION content_version_bump();
        """

    /// The people of the newsroom, their sessions, and every story's history and former addresses.
    static let newsroom = """
        CREATE TABLE account (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at BIGINT NOT NULL
        );
        CREATE TABLE invitation (
            token TEXT PRIMARY KEY,
            email TEXT NOT NULL,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            invited_by BIGINT NOT NULL REFERENCES account(id),
            expires_at BIGINT NOT NULL
        );
        CREATE TABLE sign_in_failure (
            email TEXT NOT NULL,
            at BIGINT NOT NULL
        );
        CREATE INDEX sign_in_failure_by_email ON sign_in_failure(email, at);
        CREATE TABLE session (
            key TEXT PRIMARY KEY,
            data BYTEA NOT NULL,
            expires_at BIGINT
        );
        CREATE INDEX session_by_expiry ON session(expires_at);

        ALTER TABLE article
            ADD COLUMN owner_id BIGINT REFERENCES account(id),
            ADD COLUMN publish_at BIGINT,
            ADD COLUMN first_published_at BIGINT,
            ADD COLUMN image_url TEXT,
            ADD COLUMN image_caption TEXT NOT NULL DEFAULT '',
            ADD COLUMN image_credit TEXT NOT NULL DEFAULT '';
        -- The scheduler's question every minute: which scheduled stories are due.
        CREATE INDEX article_by_publish_time ON article(status, publish_at);
        -- The newsroom's story list: last changed first, whatever the status.
        CREATE INDEX article_by_update ON article(updated_at DESC, number DESC);
        CREATE INDEX article_by_owner ON article(owner_id, updated_at DESC);

        -- Content is the StoryContent as JSON; changed lists StoryField raw values, comma-separated.
        CREATE TABLE revision (
            article_number BIGINT NOT NULL REFERENCES article(number) ON DELETE CASCADE,
            number BIGINT NOT NULL,
            saved_at BIGINT NOT NULL,
            editor_id BIGINT REFERENCES account(id),
            editor_name TEXT NOT NULL,
            action TEXT NOT NULL,
            status TEXT NOT NULL,
            content TEXT NOT NULL,
            changed TEXT NOT NULL,
            restored_from BIGINT,
            PRIMARY KEY (article_number, number)
        );
        CREATE TABLE slug_redirect (
            old_slug TEXT PRIMARY KEY,
            article_number BIGINT NOT NULL REFERENCES article(number) ON DELETE CASCADE
        );
        CREATE INDEX slug_redirect_by_article ON slug_redirect(article_number);

        -- Stories already public have settled slugs: from now on a change of slug leaves a redirect behind.
        UPDATE article SET first_published_at = published_at WHERE status = 'published';
        """
}

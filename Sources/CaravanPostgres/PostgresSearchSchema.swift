import CaravanSearch
import CaravanStorage

/// The PostgreSQL search index's schema, applied as migration "002 search" (owned by the search work).
enum PostgresSearchSchema {
    /// The configuration stories and queries are both read with; they must agree or the lexemes never meet.
    static let configuration = TSQuery.Configuration("caravan_english")

    /// One or more statements separated by semicolons.
    ///
    /// - `caravan_english`: PostgreSQL's English (Snowball stemmer, stop words), with accents removed when the
    ///   server has `unaccent`, as FTS5's `remove_diacritics` does.
    /// - `article.search_vector`: title (weight A), standfirst (B) and body (D) of published stories only, kept by
    ///   PostgreSQL itself as a stored generated column; NULL for drafts. A GIN index serves `@@`.
    /// - `search_word`: the unstemmed words of published stories with the number of stories holding each, for
    ///   "did you mean" (the index holds stems, "elect", and a suggestion must be a word, "election"). Triggers keep
    ///   it in the writing transaction, counted once at commit; only changes of a published story's text or status
    ///   touch it.
    static let migrationSQL = """
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        -- Optional: without unaccent, "cafe" does not find "café", and nothing else changes.
        DO $$
        BEGIN
            CREATE EXTENSION IF NOT EXISTS unaccent;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'unaccent is not available (%); search will not fold accents', SQLERRM;
        END;
        $$;

        CREATE TEXT SEARCH CONFIGURATION caravan_english (COPY = pg_catalog.english);
        -- Words as written for the vocabulary: letters only, no stemming, no hyphenated wholes, numbers, hosts or URLs.
        CREATE TEXT SEARCH CONFIGURATION caravan_words (COPY = pg_catalog.simple);
        ALTER TEXT SEARCH CONFIGURATION caravan_words DROP MAPPING FOR
            asciihword, hword, hword_numpart, numhword, numword, email, file, float, host, int, sfloat, uint, url,
            url_path, version;
        DO $$
        DECLARE
            dictionary text;
        BEGIN
            SELECT format('%I.unaccent', n.nspname) INTO dictionary
            FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent';
            IF dictionary IS NOT NULL THEN
                EXECUTE format(
                    'ALTER TEXT SEARCH CONFIGURATION caravan_english ALTER MAPPING FOR hword, hword_part, word WITH %s, english_stem',
                    dictionary);
                EXECUTE format(
                    'ALTER TEXT SEARCH CONFIGURATION caravan_words ALTER MAPPING FOR hword_part, word WITH %s, simple',
                    dictionary);
            END IF;
        END;
        $$;

        -- The text is plain, but PostgreSQL's parser reads `<…>` as an HTML tag and skips it, and after `<script>` or
        -- `<style>` everything up to the closing tag: with `<` read as a space, every word is indexed. A tsvector holds
        -- at most 1 MB: a body past 300,000 characters (a book, not a story) is indexed up to there rather than refused.
        ALTER TABLE article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            CASE WHEN status = 'published' THEN
                setweight(to_tsvector('caravan_english'::regconfig, replace(title, '<', ' ')), 'A')
                || setweight(to_tsvector('caravan_english'::regconfig, replace(standfirst, '<', ' ')), 'B')
                || setweight(to_tsvector('caravan_english'::regconfig, replace(left(body_text, 300000), '<', ' ')), 'D')
            END
        ) STORED;
        CREATE INDEX article_search ON article USING gin (search_vector);

        -- Binary collation, so "words starting with e" is a range of the primary key, as in SQLite.
        CREATE TABLE search_word (
            word TEXT COLLATE "C" PRIMARY KEY,
            documents BIGINT NOT NULL
        );
        CREATE FUNCTION search_words(title text, standfirst text, body_text text) RETURNS text[]
        LANGUAGE sql STABLE AS $$
            SELECT tsvector_to_array(to_tsvector('caravan_words'::regconfig,
                replace(concat_ws(' ', title, standfirst, left(body_text, 300000)), '<', ' ')))
        $$;
        -- A story's change only notes its words here; they are counted into search_word once per transaction, at
        -- commit. (Counting story by story would update "the" five hundred times in an import batch, and each update
        -- of a row already updated in the same transaction walks all its earlier versions: three times slower.)
        CREATE UNLOGGED TABLE search_word_pending (
            words text[] NOT NULL,
            change integer NOT NULL,
            -- Set on the first note of a transaction: its row schedules the count.
            folds boolean NOT NULL
        );
        CREATE FUNCTION search_word_note() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                IF OLD.status = 'published' THEN
                    INSERT INTO search_word_pending (words, change, folds)
                    SELECT search_words(OLD.title, OLD.standfirst, OLD.body_text), -1,
                        NOT EXISTS (SELECT 1 FROM search_word_pending);
                END IF;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                IF NEW.status = 'published' THEN
                    INSERT INTO search_word_pending (words, change, folds)
                    SELECT search_words(NEW.title, NEW.standfirst, NEW.body_text), 1,
                        NOT EXISTS (SELECT 1 FROM search_word_pending);
                END IF;
            END IF;
            RETURN NULL;
        END;
        $$;
        CREATE FUNCTION search_word_fold() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            emptied text[];
        BEGIN
            -- Each word once, in word order, so two writers lock shared words in the same order.
            WITH folded AS (
                DELETE FROM search_word_pending RETURNING words, change
            ), changes AS (
                SELECT word, sum(change) AS change FROM folded CROSS JOIN unnest(folded.words) AS word
                GROUP BY word HAVING sum(change) <> 0
            ), counted AS (
                INSERT INTO search_word AS known (word, documents)
                SELECT word, change FROM changes ORDER BY word
                ON CONFLICT (word) DO UPDATE SET documents = known.documents + excluded.documents
                RETURNING known.word, known.documents
            )
            SELECT array_agg(word) INTO emptied FROM counted WHERE documents <= 0;
            IF emptied IS NOT NULL THEN
                DELETE FROM search_word WHERE word = ANY (emptied);
            END IF;
            RETURN NULL;
        END;
        $$;
        CREATE CONSTRAINT TRIGGER search_word_fold AFTER INSERT ON search_word_pending DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW WHEN (NEW.folds) EXECUTE FUNCTION search_word_fold();
        CREATE TRIGGER search_word_insert AFTER INSERT ON article
            FOR EACH ROW WHEN (NEW.status = 'published') EXECUTE FUNCTION search_word_note();
        CREATE TRIGGER search_word_delete AFTER DELETE ON article
            FOR EACH ROW WHEN (OLD.status = 'published') EXECUTE FUNCTION search_word_note();
        CREATE TRIGGER search_word_update AFTER UPDATE OF title, standfirst, body_text, status ON article
            FOR EACH ROW WHEN (
                (OLD.status = 'published' OR NEW.status = 'published')
                AND (OLD.title, OLD.standfirst, OLD.body_text, OLD.status)
                    IS DISTINCT FROM (NEW.title, NEW.standfirst, NEW.body_text, NEW.status))
            EXECUTE FUNCTION search_word_note();
        -- Stories already stored join the vocabulary now; the triggers keep it from here on.
        INSERT INTO search_word (word, documents)
        SELECT word, count(*) FROM article CROSS JOIN unnest(search_words(title, standfirst, body_text)) AS word
        WHERE status = 'published' GROUP BY word;
        """
}

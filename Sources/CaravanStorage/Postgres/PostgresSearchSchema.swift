import CaravanSearch

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
    ///   it in the writing transaction; only changes of a published story's text or status touch it.
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
        CREATE FUNCTION search_word_count() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            added text[] := '{}';
            removed text[] := '{}';
        BEGIN
            IF TG_OP <> 'DELETE' THEN
                IF NEW.status = 'published' THEN
                    added := search_words(NEW.title, NEW.standfirst, NEW.body_text);
                END IF;
            END IF;
            IF TG_OP <> 'INSERT' THEN
                IF OLD.status = 'published' THEN
                    removed := search_words(OLD.title, OLD.standfirst, OLD.body_text);
                END IF;
            END IF;
            -- Only the difference; in word order, so two writers lock shared words in the same order.
            INSERT INTO search_word AS known (word, documents)
            SELECT word, sum(change) FROM (
                SELECT unnest(added), 1 UNION ALL SELECT unnest(removed), -1
            ) AS changes(word, change)
            GROUP BY word HAVING sum(change) <> 0 ORDER BY word
            ON CONFLICT (word) DO UPDATE SET documents = known.documents + excluded.documents;
            DELETE FROM search_word WHERE word = ANY (removed) AND documents <= 0;
            RETURN NULL;
        END;
        $$;
        CREATE TRIGGER search_word_insert AFTER INSERT ON article
            FOR EACH ROW WHEN (NEW.status = 'published') EXECUTE FUNCTION search_word_count();
        CREATE TRIGGER search_word_delete AFTER DELETE ON article
            FOR EACH ROW WHEN (OLD.status = 'published') EXECUTE FUNCTION search_word_count();
        CREATE TRIGGER search_word_update AFTER UPDATE OF title, standfirst, body_text, status ON article
            FOR EACH ROW WHEN (
                (OLD.status = 'published' OR NEW.status = 'published')
                AND (OLD.title, OLD.standfirst, OLD.body_text, OLD.status)
                    IS DISTINCT FROM (NEW.title, NEW.standfirst, NEW.body_text, NEW.status))
            EXECUTE FUNCTION search_word_count();
        -- Stories already stored join the vocabulary now; the triggers keep it from here on.
        INSERT INTO search_word (word, documents)
        SELECT word, count(*) FROM article CROSS JOIN unnest(search_words(title, standfirst, body_text)) AS word
        WHERE status = 'published' GROUP BY word;
        """
}

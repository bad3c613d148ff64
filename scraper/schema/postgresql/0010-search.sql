-- Search runs ILIKE over title and text; pg_trgm's trigram indexes serve it (they need
-- no word segmentation, so they serve Chinese). Without the extension (a server
-- without contrib, a user who may not create extensions) search still works, unindexed.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm unavailable (%): search will not be indexed', SQLERRM;
END
$$;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE 'CREATE INDEX articles_text_trgm ON articles USING gin (text gin_trgm_ops)';
        EXECUTE 'CREATE INDEX articles_title_trgm ON articles USING gin (title gin_trgm_ops)';
    END IF;
END
$$;

-- MinHash signatures and LSH band keys: a new article finds its candidates with
-- one indexed query. cluster_id is the id of the cluster's first article.
CREATE TABLE reprints (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    cluster_id INTEGER NOT NULL,
    matched_id INTEGER,                   -- the article it matched, NULL if none
    similarity REAL,                      -- estimated Jaccard with matched_id
    signature  BLOB NOT NULL              -- MinHash values, uint32 little-endian
);
CREATE INDEX reprints_cluster ON reprints (cluster_id);
CREATE TABLE reprint_bands (
    band_key   INTEGER NOT NULL,          -- hash of (band number, band values)
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX reprint_bands_key ON reprint_bands (band_key);
CREATE INDEX reprint_bands_article ON reprint_bands (article_id);

-- Each URL's newest version, timestamps in ISO 8601, with its reprint cluster.
CREATE VIEW latest_articles AS
    SELECT a.*, r.cluster_id
    FROM articles_iso a LEFT JOIN reprints r ON r.article_id = a.id
    WHERE a.version = (SELECT max(b.version) FROM articles b WHERE b.url = a.url);

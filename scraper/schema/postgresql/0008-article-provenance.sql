ALTER TABLE articles ADD COLUMN provenance TEXT NOT NULL DEFAULT '{}';  -- field -> origin

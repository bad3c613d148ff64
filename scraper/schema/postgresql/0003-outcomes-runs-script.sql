ALTER TABLE urls ADD COLUMN outcome TEXT;     -- new | changed | unchanged | empty | binary ...
ALTER TABLE urls ADD COLUMN note TEXT;        -- why, for outcomes that are not articles
ALTER TABLE runs ADD COLUMN command TEXT;     -- crawl | schedule | sources try ...
ALTER TABLE runs ADD COLUMN status TEXT;      -- running | finished | stopped
ALTER TABLE runs ADD COLUMN exit_code INTEGER;
ALTER TABLE runs ADD COLUMN summary TEXT;     -- one line per source: what it did
ALTER TABLE articles ADD COLUMN script TEXT;  -- Hans | Hant (language is 'zh')

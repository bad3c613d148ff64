-- How the body was found, and the attachment links (附件) as JSON [[name, url], ...].
ALTER TABLE articles ADD COLUMN body_source TEXT;
ALTER TABLE articles ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';

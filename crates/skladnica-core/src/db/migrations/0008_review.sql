-- Version 8: when a clerk finished reviewing a document (the app's inbox holds those without).
ALTER TABLE documents ADD COLUMN reviewed_at TEXT;
CREATE INDEX documents_unreviewed ON documents(id) WHERE reviewed_at IS NULL;

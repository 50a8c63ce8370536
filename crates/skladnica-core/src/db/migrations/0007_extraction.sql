-- Składnica library schema, version 7: metadata extracted from documents' text.

-- Every value the extractors found, with where it came from (page and byte offsets in the
-- page's text) and how sure they are. Derived: replaced whenever the text changes. What the
-- clerk confirms lives in `metadata` with the source 'clerk'.
CREATE TABLE extracted_values (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    field        TEXT NOT NULL,
    value        TEXT NOT NULL,
    confidence   REAL NOT NULL,
    page         INTEGER NOT NULL,
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    source_text  TEXT NOT NULL,
    note         TEXT NOT NULL,
    personal     INTEGER NOT NULL CHECK (personal IN (0, 1))
);
CREATE INDEX extracted_values_document ON extracted_values(document_id);

-- Whether the extractors have read the document's current text (0 after import of pages still
-- awaiting OCR, and whenever OCR rewrites a page).
ALTER TABLE documents ADD COLUMN extracted INTEGER NOT NULL DEFAULT 0;

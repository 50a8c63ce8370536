-- Składnica library schema, version 1.
-- The system of record: documents, their original files (blobs), pages with text, metadata,
-- import batches, and the bookkeeping that keeps the derived tantivy index in step.

CREATE TABLE import_batches (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    imported      INTEGER NOT NULL DEFAULT 0,
    duplicates    INTEGER NOT NULL DEFAULT 0,
    failed        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    kind          TEXT,
    doc_date      TEXT,            -- ISO 8601 date of the document, when known
    created_at    TEXT NOT NULL,   -- when it entered the library
    updated_at    TEXT NOT NULL,
    batch_id      INTEGER REFERENCES import_batches(id),
    rev           INTEGER NOT NULL -- library revision of the last change; see index_state
);
CREATE INDEX documents_rev ON documents(rev);

-- Content-addressed originals. An original is never modified; the blob lives at
-- blobs/<first two hex digits>/<sha256>.
CREATE TABLE files (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sha256         TEXT NOT NULL UNIQUE,
    role           TEXT NOT NULL DEFAULT 'original' CHECK (role IN ('original')),
    original_name  TEXT NOT NULL,
    original_path  TEXT NOT NULL,
    media_type     TEXT NOT NULL,
    size           INTEGER NOT NULL,
    page_count     INTEGER NOT NULL
);
CREATE INDEX files_document ON files(document_id);

CREATE TABLE pages (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    file_id        INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    number         INTEGER NOT NULL,  -- 1-based within the document
    text           TEXT NOT NULL DEFAULT '',
    text_source    TEXT NOT NULL CHECK (text_source IN ('born_digital', 'ocr', 'awaiting_ocr')),
    ocr_confidence REAL,
    width_px       INTEGER,
    height_px      INTEGER,
    UNIQUE (document_id, number)
);

CREATE TABLE metadata (
    document_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    key            TEXT NOT NULL,
    value          TEXT NOT NULL,
    source         TEXT NOT NULL DEFAULT 'import',
    PRIMARY KEY (document_id, key)
);

-- Documents removed from the library, kept until the index has seen the removal.
CREATE TABLE index_tombstones (
    document_id    INTEGER PRIMARY KEY,
    rev            INTEGER NOT NULL
);

-- One row: the library revision counter, and the revision the tantivy index has committed.
CREATE TABLE index_state (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    next_rev       INTEGER NOT NULL,
    indexed_rev    INTEGER NOT NULL
);
INSERT INTO index_state (id, next_rev, indexed_rev) VALUES (1, 1, 0);

-- Version 9: the export log, and an index of page sources. One row per package written: to which target folder (its canonical
-- path), the package's folder name, when, the library revision it is complete up to (an
-- incremental export to the same target takes the documents changed after it), and what it held.
CREATE TABLE exports (
    id           INTEGER PRIMARY KEY,
    target       TEXT NOT NULL,
    package      TEXT NOT NULL,
    finished_at  TEXT NOT NULL,
    library_rev  INTEGER NOT NULL,
    incremental  INTEGER NOT NULL,
    cases        INTEGER NOT NULL,
    documents    INTEGER NOT NULL,
    files        INTEGER NOT NULL,
    bytes        INTEGER NOT NULL,
    checksum     TEXT NOT NULL
);
CREATE INDEX exports_by_target ON exports(target, id);
-- Which documents have scanned pages, answered from an index (a page's text is stored before
-- its source, so reading the source from the table reads the whole text).
CREATE INDEX pages_by_source ON pages(document_id, text_source);

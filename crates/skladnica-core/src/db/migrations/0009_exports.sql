-- Version 9: the export log. One row per package written: to which target folder (its canonical
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

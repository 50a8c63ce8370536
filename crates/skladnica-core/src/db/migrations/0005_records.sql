-- Składnica library schema, version 5: the records domain.
-- The JRWA file plan in versions, organisational units, cases (the spis spraw) and the
-- documents of each case. Migration 5 also installs the gmina JRWA of 2011 that ships with the
-- product, in force from 2011-01-01 (done in Rust, in the same transaction).

CREATE TABLE jrwa_versions (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    source         TEXT NOT NULL,       -- 'builtin:gmina-2011', 'csv:<file name>'
    sha256         TEXT NOT NULL,       -- of the source bytes
    in_force_from  TEXT NOT NULL,       -- ISO date: cases opened from this day use this version
    imported_at    TEXT NOT NULL,
    class_count    INTEGER NOT NULL
);

CREATE TABLE jrwa_classes (
    version_id      INTEGER NOT NULL REFERENCES jrwa_versions(id),
    symbol          TEXT NOT NULL,
    parent          TEXT,
    heading         TEXT NOT NULL,
    category        TEXT,               -- in the lead unit: A, B5, BE10, Bc, B*
    category_other  TEXT,               -- in other units, where the list gives one
    notes           TEXT NOT NULL DEFAULT '',
    category_source TEXT,
    is_end          INTEGER NOT NULL CHECK (is_end IN (0, 1)),
    PRIMARY KEY (version_id, symbol)
) WITHOUT ROWID;

-- Organisational units (komórki organizacyjne) and the years they exist in. A code may be
-- reused by another unit in other years, never in overlapping ones (checked in code).
CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    year_from   INTEGER NOT NULL,
    year_to     INTEGER,               -- the last year; NULL while the unit exists
    created_at  TEXT NOT NULL,
    CHECK (year_to IS NULL OR year_to >= year_from)
);
CREATE INDEX units_code ON units(code);

-- Cases: one row per entry of the spis spraw (per unit, JRWA end class and year).
CREATE TABLE cases (
    id            INTEGER PRIMARY KEY,
    sign          TEXT NOT NULL UNIQUE,
    unit_code     TEXT NOT NULL,
    jrwa_version  INTEGER NOT NULL,
    jrwa_symbol   TEXT NOT NULL,
    number        INTEGER NOT NULL CHECK (number > 0),
    year          INTEGER NOT NULL,
    title         TEXT NOT NULL,
    handler       TEXT,
    category      TEXT NOT NULL,        -- the class's category when the case was opened
    opened_on     TEXT NOT NULL,
    closed_on     TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (unit_code, jrwa_symbol, year, number),
    FOREIGN KEY (jrwa_version, jrwa_symbol) REFERENCES jrwa_classes(version_id, symbol),
    CHECK (closed_on IS NULL OR closed_on >= opened_on)
);
CREATE INDEX cases_closed ON cases(closed_on);

-- The documents of a case, in the order they joined it.
CREATE TABLE case_documents (
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    added_at     TEXT NOT NULL,
    PRIMARY KEY (case_id, document_id)
);
CREATE INDEX case_documents_document ON case_documents(document_id);

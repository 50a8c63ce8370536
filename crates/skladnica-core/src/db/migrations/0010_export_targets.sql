-- Version 10: export targets (see export/targets.rs). A target is a folder at a fixed path or a
-- removable disk recognised by the id written on it (or its label), with a period in days, an
-- export on plug-in, and what its exports hold (JSON: category, JRWA prefix). It keeps the
-- outcome of its last export. Packages in the export log name the target they were written for,
-- so that a disk mounted at another path continues its incremental exports.
CREATE TABLE export_targets (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    path             TEXT,
    disk_id          TEXT,
    disk_label       TEXT,
    disk_folder      TEXT,
    every_days       INTEGER NOT NULL CHECK (every_days BETWEEN 1 AND 366),
    on_connect       INTEGER NOT NULL DEFAULT 0,
    contents         TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    last_success_at  TEXT,
    last_attempt_at  TEXT,
    last_error       TEXT,
    CHECK ((path IS NULL) <> (disk_id IS NULL))
);
ALTER TABLE exports ADD COLUMN target_id INTEGER REFERENCES export_targets(id) ON DELETE SET NULL;
CREATE INDEX exports_by_target_id ON exports(target_id, id);

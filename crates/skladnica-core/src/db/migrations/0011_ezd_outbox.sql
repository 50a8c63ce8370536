-- The outbox of items to send to the EZD RP: one row per incoming-register entry, written in the
-- same transaction as the registration (when an EZD connection is set up) or by `sync queue`.
-- `step` is the next step to do; `check_first` says the last attempt at it had an unknown outcome
-- (a timeout, a dropped connection, a 5xx after the write), so the EZD is read back before the
-- step is done again. An office whose EZD has no API sets a drop folder instead: each run writes
-- the due letters as one package there.
CREATE TABLE ezd_outbox (
    id              INTEGER PRIMARY KEY,
    rpw_item_id     INTEGER NOT NULL UNIQUE REFERENCES rpw_items(id),
    batch           INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'delivered', 'rejected')),
    step            INTEGER NOT NULL DEFAULT 0,
    check_first     INTEGER NOT NULL DEFAULT 0 CHECK (check_first IN (0, 1)),
    upload_name     TEXT NOT NULL,
    flow_id         TEXT,
    document_id     TEXT,
    files_sent      INTEGER NOT NULL DEFAULT 0,
    rpw_number      TEXT,
    rpw_letter      TEXT,
    package         TEXT,               -- for an EZD without the API: the package it went in
    error           TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    queued_at       TEXT NOT NULL,
    delivered_at    TEXT,
    updated_at      TEXT NOT NULL
);
CREATE INDEX ezd_outbox_due ON ezd_outbox(state, next_attempt_at);

-- Składnica library schema, version 6: the incoming register (RPW) and metadata provenance.

-- One row per registered incoming item, numbered per year of registration.
CREATE TABLE rpw_items (
    id             INTEGER PRIMARY KEY,
    year           INTEGER NOT NULL,
    number         INTEGER NOT NULL CHECK (number > 0),
    registered_at  TEXT NOT NULL,          -- ISO 8601 UTC timestamp
    received_on    TEXT NOT NULL,          -- data wpływu
    letter_date    TEXT,                   -- data na piśmie (YYYY, YYYY-MM or YYYY-MM-DD)
    sender_name    TEXT NOT NULL,          -- for lists and search
    title          TEXT NOT NULL,
    item           TEXT NOT NULL,          -- the whole item as JSON (skladnica_records::IncomingItem)
    document_id    INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    case_id        INTEGER REFERENCES cases(id),
    UNIQUE (year, number)
);
CREATE INDEX rpw_items_document ON rpw_items(document_id);

-- Version 2: OCR results per page, and library settings.

-- Words of an OCR'd page with their boxes: a JSON array of [text, confidence, left, top, width,
-- height], kept for highlighting on the page image and for the archive PDF's text layer.
ALTER TABLE pages ADD COLUMN ocr_words TEXT;
-- The languages the page was read with (e.g. pol+eng).
ALTER TABLE pages ADD COLUMN ocr_languages TEXT;
-- Why OCR could not read the page; the page stays awaiting OCR until redone.
ALTER TABLE pages ADD COLUMN ocr_error TEXT;

CREATE INDEX pages_awaiting_ocr ON pages(document_id, number) WHERE text_source = 'awaiting_ocr';

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

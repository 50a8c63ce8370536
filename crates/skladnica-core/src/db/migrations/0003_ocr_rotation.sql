-- Version 3: how far OCR turned a page (clockwise degrees) before reading it; the word boxes in
-- pages.ocr_words are in the turned image.
ALTER TABLE pages ADD COLUMN ocr_rotation INTEGER;

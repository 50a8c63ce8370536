-- Version 4: the size in pixels of the image OCR read (after turning it upright), which the word
-- boxes in pages.ocr_words refer to, and the degrees OCR turned the page clockwise to straighten
-- it first (deskew); the searchable PDF places its text layer from them.
ALTER TABLE pages ADD COLUMN ocr_image_width INTEGER;
ALTER TABLE pages ADD COLUMN ocr_image_height INTEGER;
ALTER TABLE pages ADD COLUMN ocr_skew REAL;

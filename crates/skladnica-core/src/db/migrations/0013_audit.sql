-- The audit log: every action on a record, appended by the triggers below in the same
-- transaction as the change, naming the operator (`skladnica_operator()`, the session's) and the
-- time. Each entry's hash covers the previous entry's hash and its own fields
-- (`skladnica_audit_hash`), so an edited, deleted or reordered entry breaks the chain
-- (`skladnica audit verify`). Entries cannot be changed or deleted through SQL.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    operator  TEXT NOT NULL,
    action    TEXT NOT NULL,
    record    TEXT NOT NULL,
    details   TEXT NOT NULL,
    hash      TEXT
);
CREATE INDEX audit_log_record ON audit_log(record);

CREATE TRIGGER audit_chain AFTER INSERT ON audit_log BEGIN
    UPDATE audit_log SET hash = skladnica_audit_hash(
        COALESCE((SELECT hash FROM audit_log WHERE seq < NEW.seq ORDER BY seq DESC LIMIT 1), ''),
        NEW.seq, NEW.at, NEW.operator, NEW.action, NEW.record, NEW.details)
    WHERE seq = NEW.seq;
END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log WHEN OLD.hash IS NOT NULL BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_document_added AFTER INSERT ON documents BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'document.added',
        'document ' || NEW.id, json_object('title', NEW.title, 'batch', NEW.batch_id));
END;
CREATE TRIGGER audit_document_changed AFTER UPDATE OF title, kind, doc_date ON documents
WHEN OLD.title IS NOT NEW.title OR OLD.kind IS NOT NEW.kind OR OLD.doc_date IS NOT NEW.doc_date
BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'document.changed',
        'document ' || NEW.id,
        json_object('old', json_object('title', OLD.title, 'kind', OLD.kind, 'date', OLD.doc_date),
                    'new', json_object('title', NEW.title, 'kind', NEW.kind, 'date', NEW.doc_date)));
END;
CREATE TRIGGER audit_document_reviewed AFTER UPDATE OF reviewed_at ON documents
WHEN NEW.reviewed_at IS NOT NULL AND OLD.reviewed_at IS NULL BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'document.reviewed',
        'document ' || NEW.id, json_object());
END;
CREATE TRIGGER audit_document_deleted AFTER DELETE ON documents BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'document.deleted',
        'document ' || OLD.id, json_object('title', OLD.title));
END;
CREATE TRIGGER audit_ocr AFTER UPDATE OF text_source ON pages
WHEN NEW.text_source = 'ocr' AND OLD.text_source IS NOT 'ocr' BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'ocr.page',
        'document ' || NEW.document_id,
        json_object('page', NEW.number, 'confidence', NEW.ocr_confidence));
END;
-- Metadata: the value before (read while it is still there) and after; values an import
-- brings with a new document are part of `document.added`.
CREATE TRIGGER audit_metadata_set BEFORE INSERT ON metadata
WHEN (SELECT value FROM metadata WHERE document_id = NEW.document_id AND key = NEW.key)
         IS NOT NEW.value
     AND NOT (NEW.source = 'import' AND NOT EXISTS
         (SELECT 1 FROM metadata WHERE document_id = NEW.document_id AND key = NEW.key))
BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'metadata.set',
        'document ' || NEW.document_id,
        json_object('key', NEW.key, 'source', NEW.source,
            'old', (SELECT value FROM metadata WHERE document_id = NEW.document_id AND key = NEW.key),
            'new', NEW.value));
END;
CREATE TRIGGER audit_metadata_removed AFTER DELETE ON metadata
WHEN EXISTS (SELECT 1 FROM documents WHERE id = OLD.document_id) BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'metadata.removed',
        'document ' || OLD.document_id, json_object('key', OLD.key, 'old', OLD.value));
END;
CREATE TRIGGER audit_rpw_registered AFTER INSERT ON rpw_items BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'rpw.registered',
        'RPW.' || NEW.number || '.' || NEW.year,
        json_object('document', NEW.document_id, 'sender', NEW.sender_name, 'title', NEW.title,
                    'case', (SELECT sign FROM cases WHERE id = NEW.case_id)));
END;
CREATE TRIGGER audit_case_opened AFTER INSERT ON cases BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'case.opened',
        'case ' || NEW.sign, json_object('title', NEW.title, 'category', NEW.category));
END;
CREATE TRIGGER audit_case_closed AFTER UPDATE OF closed_on ON cases
WHEN OLD.closed_on IS NOT NEW.closed_on BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'case.closed',
        'case ' || NEW.sign, json_object('old', OLD.closed_on, 'new', NEW.closed_on));
END;
CREATE TRIGGER audit_case_filed AFTER INSERT ON case_documents BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'case.filed',
        'document ' || NEW.document_id,
        json_object('case', (SELECT sign FROM cases WHERE id = NEW.case_id)));
END;
CREATE TRIGGER audit_case_unfiled AFTER DELETE ON case_documents
WHEN EXISTS (SELECT 1 FROM documents WHERE id = OLD.document_id) BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'case.unfiled',
        'document ' || OLD.document_id,
        json_object('case', (SELECT sign FROM cases WHERE id = OLD.case_id)));
END;
CREATE TRIGGER audit_export AFTER INSERT ON exports BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'export',
        'export ' || NEW.package, json_object('target', NEW.target, 'cases', NEW.cases));
END;
CREATE TRIGGER audit_ezd_queued AFTER INSERT ON ezd_outbox BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'ezd.queued',
        (SELECT 'RPW.' || number || '.' || year FROM rpw_items WHERE id = NEW.rpw_item_id),
        json_object('batch', NEW.batch));
END;
CREATE TRIGGER audit_ezd_delivered AFTER UPDATE OF state ON ezd_outbox
WHEN NEW.state = 'delivered' AND OLD.state IS NOT 'delivered' BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'ezd.delivered',
        (SELECT 'RPW.' || number || '.' || year FROM rpw_items WHERE id = NEW.rpw_item_id),
        json_object('rpw', NEW.rpw_number, 'case', NEW.case_sign, 'package', NEW.package));
END;

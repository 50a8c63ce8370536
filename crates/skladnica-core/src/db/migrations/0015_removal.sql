-- Removal and brakowanie. A document filed in a case is never deleted outright: only its case's
-- destruction under an approved retention list removes it (the case row stays in the register,
-- marked with the day and the archive's approval). Any other removal needs a reason, which the
-- log keeps.
ALTER TABLE cases ADD COLUMN destroyed_on TEXT;
ALTER TABLE cases ADD COLUMN destruction_approval TEXT;

CREATE TRIGGER documents_in_a_case_kept BEFORE DELETE ON documents
WHEN EXISTS (SELECT 1 FROM case_documents cd JOIN cases c ON c.id = cd.case_id
             WHERE cd.document_id = OLD.id AND c.destroyed_on IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'a record in a case is never deleted outright; its case is destroyed through brakowanie');
END;

CREATE TRIGGER audit_case_destroyed AFTER UPDATE OF destroyed_on ON cases
WHEN NEW.destroyed_on IS NOT NULL AND OLD.destroyed_on IS NULL BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'case.destroyed',
        'case ' || NEW.sign,
        json_object('on', NEW.destroyed_on, 'approval', NEW.destruction_approval,
                    'category', NEW.category,
                    'documents', (SELECT count(*) FROM case_documents WHERE case_id = NEW.id)));
END;

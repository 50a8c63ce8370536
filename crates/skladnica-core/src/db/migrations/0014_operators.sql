-- Operator profiles: the people who work at this workstation, each with a role and an optional
-- password (an argon2id PHC string; never the password). A profile is retired, never deleted:
-- the audit log names it. Adding, changing and retiring one are logged like any record.
CREATE TABLE operators (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('clerk', 'archivist', 'administrator')),
    password    TEXT,
    created_at  TEXT NOT NULL,
    retired_at  TEXT
);
CREATE UNIQUE INDEX operators_name ON operators(name COLLATE NOCASE);

CREATE TRIGGER audit_operator_added AFTER INSERT ON operators BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'operator.added',
        'operator ' || NEW.name,
        json_object('role', NEW.role, 'password', NEW.password IS NOT NULL));
END;
CREATE TRIGGER audit_operator_role AFTER UPDATE OF role ON operators
WHEN OLD.role IS NOT NEW.role BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'operator.role_changed',
        'operator ' || NEW.name, json_object('old', OLD.role, 'new', NEW.role));
END;
CREATE TRIGGER audit_operator_password AFTER UPDATE OF password ON operators
WHEN OLD.password IS NOT NEW.password BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'operator.password_changed',
        'operator ' || NEW.name, json_object('password', NEW.password IS NOT NULL));
END;
CREATE TRIGGER audit_operator_retired AFTER UPDATE OF retired_at ON operators
WHEN NEW.retired_at IS NOT NULL AND OLD.retired_at IS NULL BEGIN
    INSERT INTO audit_log (at, operator, action, record, details) VALUES (
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), skladnica_operator(), 'operator.retired',
        'operator ' || NEW.name, json_object());
END;
CREATE TRIGGER operators_never_deleted BEFORE DELETE ON operators BEGIN
    SELECT RAISE(ABORT, 'an operator profile is retired, never deleted: the audit log names it');
END;

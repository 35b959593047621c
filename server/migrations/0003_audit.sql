-- 审计日志: who did what to which record, when, with which key. Append-only (the triggers
-- refuse UPDATE and DELETE), and each entry's hash covers its content and the previous hash,
-- so `server verify-audit` finds the first entry that was altered or removed.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,      -- 1, 2, 3, … without gaps
    at         TEXT    NOT NULL,         -- RFC 3339, UTC
    actor      TEXT,                     -- key holder id; NULL for the server itself or its CLI
    credential TEXT,                     -- the credential (base64url id) that authorised it
    action     TEXT    NOT NULL,         -- e.g. holder.create, credential.revoke
    target     TEXT    NOT NULL,         -- ids of what it acted on; never personal data
    detail     TEXT    NOT NULL,         -- canonical JSON object; never personal data
    prev_hash  TEXT    NOT NULL,
    hash       TEXT    NOT NULL UNIQUE
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- What approvals of onboarding, offboarding and record changes apply (issue 11), slips that
-- lapse, late filings, and what a pull carries of each application.

-- Filing deadline (YYYY-MM-DD) of an offboarding or record change, and the calendar days after
-- it the application was received (0: on time). Written when the envelope is accepted.
ALTER TABLE application ADD COLUMN due_on TEXT;
ALTER TABLE application ADD COLUMN days_overdue INTEGER NOT NULL DEFAULT 0 CHECK (days_overdue >= 0);
-- 入编通知单 / 出编通知单 an approval issued.
ALTER TABLE application ADD COLUMN notice_number TEXT;
-- 1 once an approval's effects are written. Quota-use approvals always were; approvals of the
-- other kinds before this migration changed the status only, and the server applies them (or
-- reopens them) at start (`server::effects::apply_pending`).
ALTER TABLE application ADD COLUMN applied INTEGER NOT NULL DEFAULT 0;
UPDATE application SET applied = 1 WHERE status = 'approved' AND kind = 'quota_use';
CREATE INDEX application_unapplied ON application (updated_at) WHERE status = 'approved' AND applied = 0;

-- The notice an accepted approval issued (a repeat's answer).
ALTER TABLE decision ADD COLUMN notice_number TEXT;

-- A slip whose validity ended with posts unused is released: its posts are no longer reserved.
ALTER TABLE slip ADD COLUMN released INTEGER NOT NULL DEFAULT 0;
UPDATE slip SET released = 1 WHERE json_extract(record, '$.released');
CREATE INDEX slip_open ON slip (valid_until) WHERE released = 0 AND remaining > 0;

-- Every document a bureau issued to a unit (slips and notices); `record` is a
-- domain::IssuedDocument.
CREATE TABLE issued_document (
    number         TEXT PRIMARY KEY,
    unit_id        TEXT NOT NULL REFERENCES unit (id),
    kind           TEXT NOT NULL,                 -- domain::IssuedDocumentKind code
    application_id TEXT NOT NULL REFERENCES application (application_id),
    record         TEXT NOT NULL
) STRICT;
CREATE INDEX issued_document_unit ON issued_document (unit_id);

-- Approved record changes with the old values; `record` is a domain::RecordChangeEntry.
CREATE TABLE record_change (
    id             INTEGER PRIMARY KEY,
    unit_id        TEXT NOT NULL REFERENCES unit (id),
    application_id TEXT NOT NULL REFERENCES application (application_id),
    record         TEXT NOT NULL
) STRICT;
CREATE INDEX record_change_unit ON record_change (unit_id);

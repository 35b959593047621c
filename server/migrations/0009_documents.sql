-- Documents anyone can check (issue 13): the bureaus' SM2 document keys (public halves only; the
-- private keys are files in the data directory), and each issued document's signature and
-- voiding.

CREATE TABLE document_key (
    key_id     TEXT PRIMARY KEY,                 -- documents::KeyId
    bureau     TEXT NOT NULL,                    -- domain::Region code of the bureau
    public_key TEXT NOT NULL,                    -- uncompressed SEC1 point, base64url
    created_at TEXT NOT NULL,
    retired_at TEXT                              -- set when a newer key replaced it
) STRICT;
-- One key in force per bureau.
CREATE UNIQUE INDEX document_key_current ON document_key (bureau) WHERE retired_at IS NULL;

-- The canonical form signed (documents::DocumentForm), the key and the DER signature
-- (base64url); a voiding's time, reason and decision.
ALTER TABLE issued_document ADD COLUMN canonical TEXT;
ALTER TABLE issued_document ADD COLUMN key_id TEXT REFERENCES document_key (key_id);
ALTER TABLE issued_document ADD COLUMN signature TEXT;
ALTER TABLE issued_document ADD COLUMN voided_at TEXT;
ALTER TABLE issued_document ADD COLUMN void_reason TEXT;
ALTER TABLE issued_document ADD COLUMN void_decision TEXT;
CREATE INDEX issued_document_application ON issued_document (application_id);

-- Applications as the server tracks them once their signed envelope was accepted, the signed
-- decisions taken on them, and what approvals issue: quota-use slips and the numbering counters
-- of the bureaus.

-- One row per accepted application; `status` is a domain::ApplicationStatus code, changed only
-- by accepted decisions.
CREATE TABLE application (
    application_id TEXT PRIMARY KEY,
    unit_id        TEXT NOT NULL REFERENCES unit (id),
    kind           TEXT NOT NULL,              -- domain::ApplicationKind code
    status         TEXT NOT NULL,              -- domain::ApplicationStatus code
    payload        TEXT NOT NULL,              -- the envelope's payload (JSON)
    signer         TEXT NOT NULL,
    envelope_hash  TEXT NOT NULL,              -- envelope.envelope_hash of the accepted envelope
    submitted_at   TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX application_unit ON application (unit_id, status);

-- Every signed decision received: the raw bytes exactly as signed, and the first verdict, which
-- a repeat gets again.
CREATE TABLE decision (
    id                 INTEGER PRIMARY KEY,
    decision_hash      TEXT    NOT NULL,         -- hex SHA-256 of the decision bytes (= the challenge)
    verified           INTEGER NOT NULL,         -- 1 when the signature verified
    decision_id        TEXT,                     -- NULL when the decision could not be read
    application_id     TEXT,
    action             TEXT,                     -- domain::Action code
    decider            TEXT,
    credential_id      BLOB    NOT NULL,
    bytes              BLOB    NOT NULL,
    client_data_json   BLOB    NOT NULL,
    authenticator_data BLOB    NOT NULL,
    signature          BLOB    NOT NULL,
    status             TEXT    NOT NULL,         -- accepted | rejected | held
    code               TEXT,
    message            TEXT,
    application_status TEXT,                     -- the application's status after an accepted decision
    slip_number        TEXT,                     -- the slip an accepted quota-use approval issued
    received_at        TEXT    NOT NULL
) STRICT;
-- Repeats are answered only from a decision whose signature verified (see envelope).
CREATE UNIQUE INDEX decision_verified_hash ON decision (decision_hash) WHERE verified = 1;
CREATE INDEX decision_application ON decision (application_id);
-- A decision id is used by at most one decision that was not rejected.
CREATE UNIQUE INDEX decision_id_once ON decision (decision_id) WHERE status <> 'rejected';

-- 编制使用单 issued by quota-use approvals. `record` is the domain::slip::QuotaUseSlip.
CREATE TABLE slip (
    number         TEXT    PRIMARY KEY,          -- e.g. 天编用〔2026〕0001号
    unit_id        TEXT    NOT NULL REFERENCES unit (id),
    application_id TEXT    NOT NULL REFERENCES application (application_id),
    category       TEXT    NOT NULL,
    count          INTEGER NOT NULL CHECK (count > 0),
    remaining      INTEGER NOT NULL CHECK (remaining >= 0),
    issued_on      TEXT    NOT NULL,
    valid_until    TEXT    NOT NULL,
    record         TEXT    NOT NULL
) STRICT;
CREATE INDEX slip_unit ON slip (unit_id);

-- The last number each bureau issued, per kind of document and year (domain::slip::Numbering).
CREATE TABLE numbering (
    bureau TEXT    NOT NULL,                     -- the bureau's division code
    kind   TEXT    NOT NULL,                     -- domain::slip::IssuedDocumentKind code
    year   INTEGER NOT NULL,
    last   INTEGER NOT NULL CHECK (last >= 0),
    PRIMARY KEY (bureau, kind, year)
) STRICT, WITHOUT ROWID;

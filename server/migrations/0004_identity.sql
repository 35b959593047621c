-- 使用人员备案: key holders, their security keys, enrolment codes, sign-in sessions, and the
-- signed applications (envelopes) received with their verdicts.

CREATE TABLE key_holder (
    id         TEXT PRIMARY KEY,               -- UUID
    login      TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,                  -- domain::Role code
    scope      TEXT NOT NULL,                  -- domain::Scope, e.g. unit:620502-0012
    created_at TEXT NOT NULL
) STRICT;

-- One-time enrolment codes, stored as SHA-256 only.
CREATE TABLE enrolment_code (
    code_hash  TEXT    PRIMARY KEY,
    holder_id  TEXT    NOT NULL REFERENCES key_holder (id),
    expires_at INTEGER NOT NULL,               -- unix seconds
    used_at    INTEGER
) STRICT;

CREATE TABLE credential (
    id                       BLOB    PRIMARY KEY,      -- raw WebAuthn credential id
    holder_id                TEXT    NOT NULL REFERENCES key_holder (id),
    passkey                  TEXT    NOT NULL,         -- webauthn-rs Passkey (JSON)
    attested                 INTEGER NOT NULL,         -- 1 when the attestation chained to a configured CA
    highest_envelope_counter INTEGER NOT NULL DEFAULT 0,
    created_at               TEXT    NOT NULL,
    revoked_at               TEXT
) STRICT;
CREATE INDEX credential_holder ON credential (holder_id);

-- Server-side state of a registration or authentication ceremony, used once.
CREATE TABLE ceremony (
    id         TEXT    PRIMARY KEY,
    kind       TEXT    NOT NULL,                -- enrol | sign_in
    holder_id  TEXT    NOT NULL REFERENCES key_holder (id),
    state      TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

-- Sessions, stored by the SHA-256 of the cookie's token.
CREATE TABLE session (
    token_hash    TEXT    PRIMARY KEY,
    holder_id     TEXT    NOT NULL REFERENCES key_holder (id),
    credential_id BLOB    NOT NULL,
    csrf_token    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL
) STRICT;

-- Every signed application received: the raw bytes exactly as signed, and the first verdict,
-- which a repeat gets again.
CREATE TABLE envelope (
    id                 INTEGER PRIMARY KEY,
    envelope_hash      TEXT    NOT NULL,         -- hex SHA-256 of the envelope bytes (= the challenge)
    verified           INTEGER NOT NULL,         -- 1 when the signature verified
    application_id     TEXT,                     -- NULL when the envelope could not be read
    credential_id      BLOB    NOT NULL,
    unit_id            TEXT,
    kind               TEXT,
    signer             TEXT,
    bytes              BLOB    NOT NULL,
    client_data_json   BLOB    NOT NULL,
    authenticator_data BLOB    NOT NULL,
    signature          BLOB    NOT NULL,
    status             TEXT    NOT NULL,         -- accepted | rejected | held
    code               TEXT,
    message            TEXT,
    received_at        TEXT    NOT NULL
) STRICT;
CREATE INDEX envelope_unit ON envelope (unit_id);
-- A repeat is answered only from a submission whose signature verified: bytes sent first with a
-- bad signature must not decide the fate of the genuine submission.
CREATE UNIQUE INDEX envelope_verified_hash ON envelope (envelope_hash) WHERE verified = 1;
-- An application id is used by at most one envelope that was not rejected (a rejected
-- application may be revised and signed again under the same id).
CREATE UNIQUE INDEX envelope_application ON envelope (application_id) WHERE status <> 'rejected';

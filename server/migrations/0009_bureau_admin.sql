-- 编办管理 (issue 14): holders' phone and suspension, keys' last use, units removed by a
-- merger or an abolition (kept as rows, so that the change log's scope still finds them and a
-- pull can send their tombstone), signed acts with their receipts, the data-verification state
-- of each unit, and roster uploads checked but not yet imported.

ALTER TABLE key_holder ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE key_holder ADD COLUMN suspended_at TEXT;
ALTER TABLE credential ADD COLUMN last_used_at TEXT;

ALTER TABLE unit ADD COLUMN removed_at TEXT;          -- NULL while the unit exists
ALTER TABLE unit ADD COLUMN removed_reason TEXT;      -- merged | abolished
ALTER TABLE unit ADD COLUMN merged_into TEXT;         -- the unit that carries a merged one on
ALTER TABLE unit ADD COLUMN removed_document TEXT;    -- 文号 of the act

-- Every signed act received (the shape of `decision`).
CREATE TABLE act (
    id                 INTEGER PRIMARY KEY,
    act_hash           TEXT    NOT NULL,
    verified           INTEGER NOT NULL,
    act_id             TEXT,
    kind               TEXT,                     -- domain::act::ActKind code
    signer             TEXT,
    unit_id            TEXT,                     -- the first unit the act is about
    flags              TEXT,                     -- JSON array of flag codes of an accepted act
    units              TEXT,                     -- JSON array of the units it changed
    credential_id      BLOB    NOT NULL,
    bytes              BLOB    NOT NULL,
    client_data_json   BLOB    NOT NULL,
    authenticator_data BLOB    NOT NULL,
    signature          BLOB    NOT NULL,
    status             TEXT    NOT NULL,
    code               TEXT,
    message            TEXT,
    received_at        TEXT    NOT NULL
) STRICT;
CREATE UNIQUE INDEX act_verified_hash ON act (act_hash) WHERE verified = 1;
CREATE UNIQUE INDEX act_id_once ON act (act_id) WHERE status <> 'rejected';
CREATE INDEX act_unit ON act (unit_id);

-- 数据核实: a unit without a row is not started.
CREATE TABLE unit_verification (
    unit_id    TEXT PRIMARY KEY REFERENCES unit (id),
    state      TEXT NOT NULL CHECK (state IN ('imported', 'confirmed_by_unit', 'confirmed_by_bureau')),
    updated_at TEXT NOT NULL
) STRICT;

-- A roster file checked: its rows as checked (JSON: each domain::person::Person or null for a
-- row with errors), kept until a signed roster_import act names it, or it expires.
CREATE TABLE import_upload (
    id           TEXT    PRIMARY KEY,
    unit_id      TEXT    NOT NULL REFERENCES unit (id),
    holder_id    TEXT    NOT NULL REFERENCES key_holder (id),
    rows         TEXT    NOT NULL,
    digest_all   TEXT    NOT NULL,
    digest_valid TEXT    NOT NULL,
    rows_total   INTEGER NOT NULL,
    rows_valid   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER
) STRICT;

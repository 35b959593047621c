-- The certificates (电子编制管理证) of every unit. Each record is kept as the JSON of its
-- `domain` type (validated again when read); the columns beside it are what queries and
-- scope checks need.

CREATE TABLE unit (
    id                     TEXT PRIMARY KEY,
    region                 TEXT NOT NULL,            -- division code, e.g. 620502
    name                   TEXT NOT NULL UNIQUE,
    credit_code            TEXT UNIQUE,              -- 统一社会信用代码
    kind                   TEXT NOT NULL,
    supervising_department TEXT REFERENCES unit (id),
    parent                 TEXT REFERENCES unit (id),
    record                 TEXT NOT NULL,            -- domain::unit::UnitRecord
    sections               TEXT NOT NULL             -- functions, power list, divisions, history, leadership posts
) STRICT;
CREATE INDEX unit_region ON unit (region);
CREATE INDEX unit_supervising_department ON unit (supervising_department);
CREATE INDEX unit_parent ON unit (parent);

-- 编制台帐: one row per approving document; approved figures are their sum.
CREATE TABLE ledger_row (
    unit_id  TEXT    NOT NULL REFERENCES unit (id),
    position INTEGER NOT NULL,
    document TEXT    NOT NULL,                       -- 文号
    row      TEXT    NOT NULL,                       -- domain::ledger::LedgerRow
    PRIMARY KEY (unit_id, position)
) STRICT, WITHOUT ROWID;

-- Filled (实有) and reserved (已核准未使用) posts per unit and category.
CREATE TABLE ledger_count (
    unit_id  TEXT    NOT NULL REFERENCES unit (id),
    category TEXT    NOT NULL,
    filled   INTEGER NOT NULL CHECK (filled >= 0),
    reserved INTEGER NOT NULL CHECK (reserved >= 0),
    PRIMARY KEY (unit_id, category)
) STRICT, WITHOUT ROWID;

-- 在编人员. The primary key is the rule that one 身份证号 holds at most one establishment
-- post in the whole deployment.
CREATE TABLE staff (
    id_number TEXT PRIMARY KEY,
    unit_id   TEXT NOT NULL REFERENCES unit (id),
    category  TEXT NOT NULL,
    person    TEXT NOT NULL                          -- domain::person::Person
) STRICT;
CREATE INDEX staff_unit ON staff (unit_id);

-- 减少人员.
CREATE TABLE departed (
    id          INTEGER PRIMARY KEY,
    unit_id     TEXT NOT NULL REFERENCES unit (id),
    id_number   TEXT NOT NULL,
    departed_on TEXT NOT NULL,
    record      TEXT NOT NULL                        -- domain::person::DepartedPerson
) STRICT;
CREATE INDEX departed_unit ON departed (unit_id);

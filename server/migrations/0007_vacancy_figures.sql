-- The figures the vacancy rule of a quota-use request reads (signed::application), kept as
-- columns so that receiving a request reads a few integers instead of parsing its unit's
-- ledger rows and the payload of every request still awaiting a decision.

-- What a quota-use application asks for: its payload's category and count (NULL for the other
-- kinds), written with the application.
ALTER TABLE application ADD COLUMN category TEXT;
ALTER TABLE application ADD COLUMN count INTEGER CHECK (count > 0);
UPDATE application
SET category = json_extract(payload, '$.category'),
    count = json_extract(payload, '$.count')
WHERE kind = 'quota_use';

-- 核定数 per unit and category: the sum of the changes of its ledger rows (ledger_row.row is a
-- domain::ledger::LedgerRow, whose `changes` maps a category code to a signed change). Kept
-- by the triggers below, whatever writes the rows; the rows stay the record.
CREATE TABLE ledger_approved (
    unit_id  TEXT    NOT NULL REFERENCES unit (id),
    category TEXT    NOT NULL,
    approved INTEGER NOT NULL,
    PRIMARY KEY (unit_id, category)
) STRICT, WITHOUT ROWID;
INSERT INTO ledger_approved (unit_id, category, approved)
SELECT r.unit_id, c.key, sum(c.value)
FROM ledger_row r, json_each(r.row, '$.changes') c
GROUP BY r.unit_id, c.key;

CREATE TRIGGER ledger_row_approved_insert AFTER INSERT ON ledger_row
BEGIN
    INSERT INTO ledger_approved (unit_id, category, approved)
    SELECT NEW.unit_id, c.key, c.value FROM json_each(NEW.row, '$.changes') c WHERE true
    ON CONFLICT (unit_id, category) DO UPDATE SET approved = approved + excluded.approved;
END;

CREATE TRIGGER ledger_row_approved_delete AFTER DELETE ON ledger_row
BEGIN
    UPDATE ledger_approved
    SET approved = approved - (SELECT c.value FROM json_each(OLD.row, '$.changes') c
                               WHERE c.key = ledger_approved.category)
    WHERE unit_id = OLD.unit_id
      AND category IN (SELECT c.key FROM json_each(OLD.row, '$.changes') c);
END;

CREATE TRIGGER ledger_row_approved_update AFTER UPDATE ON ledger_row
BEGIN
    UPDATE ledger_approved
    SET approved = approved - (SELECT c.value FROM json_each(OLD.row, '$.changes') c
                               WHERE c.key = ledger_approved.category)
    WHERE unit_id = OLD.unit_id
      AND category IN (SELECT c.key FROM json_each(OLD.row, '$.changes') c);
    INSERT INTO ledger_approved (unit_id, category, approved)
    SELECT NEW.unit_id, c.key, c.value FROM json_each(NEW.row, '$.changes') c WHERE true
    ON CONFLICT (unit_id, category) DO UPDATE SET approved = approved + excluded.approved;
END;

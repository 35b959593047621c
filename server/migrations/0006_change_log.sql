-- 同步: what `GET /api/sync/pull` reads. Every transaction that changes what a client may see
-- (a certificate loaded, an application submitted, a decision accepted) appends one row per
-- changed record here, in the same transaction; the version is the server's clock for sync,
-- and a client's cursor names the last version it has. SQLite has one writer at a time, so
-- versions are committed in increasing order and a reader never sees a later one without the
-- earlier ones.
CREATE TABLE change_log (
    version INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id TEXT    NOT NULL REFERENCES unit (id),   -- whose scope the change belongs to
    entity  TEXT    NOT NULL CHECK (entity IN ('certificate', 'application')),
    key     TEXT    NOT NULL                          -- the unit id, or the application id
) STRICT;
CREATE INDEX change_log_unit ON change_log (unit_id, version);

-- The identity of this database for sync: a cursor made by another database (or before the
-- database was recreated) names another epoch and makes the client start again from a
-- snapshot. `compacted_through`: log rows up to this version may have been removed, so a
-- cursor before it is expired (no compaction exists yet; it stays 0).
CREATE TABLE sync_epoch (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    epoch             TEXT    NOT NULL,
    compacted_through INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO sync_epoch (id, epoch) VALUES (1, lower(hex(randomblob(16))));

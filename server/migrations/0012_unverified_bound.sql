-- Submissions whose signature did not verify (refused before or at the signature check), per
-- signed-in holder and day (in China): the receiver keeps their receipt (hash, verdict, no raw
-- bytes) and audit entry only up to `signed::receiver::MAX_UNVERIFIED_PER_DAY` a day; the
-- count goes on, so that what was not kept is known (docs/DESIGN.md §6).
CREATE TABLE unverified_count (
    holder_id TEXT    NOT NULL,
    day       TEXT    NOT NULL,                 -- YYYY-MM-DD
    count     INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (holder_id, day)
) STRICT, WITHOUT ROWID;

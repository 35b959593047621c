-- 同步 (issue 15): signed documents the server failed on alone (an internal error, answered
-- `try_later`, nothing of them stored) in a batch whose later documents of the same key were
-- received and raised its highest counter. Their exact bytes (hash) may come again below that
-- counter without being held for a counter regression; the row goes once they are received.
CREATE TABLE counter_gap (
    credential_id  BLOB NOT NULL,
    envelope_hash  TEXT NOT NULL,   -- hex SHA-256 of the document's bytes
    PRIMARY KEY (credential_id, envelope_hash)
) WITHOUT ROWID;

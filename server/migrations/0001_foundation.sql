-- The server's own record: when and by which version this database was created.
CREATE TABLE server_meta (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    created_at  TEXT    NOT NULL,
    created_by  TEXT    NOT NULL
) STRICT;

-- Issue 14 (point 6): every full copy that finished (a full resynchronisation, a restoration's copy
-- back) with its size and duration. The next full copy of the pair is estimated from the last
-- one's rate and starts only if it ends before the pair's next maintenance window.
CREATE TABLE full_copy (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    database    estate_name  NOT NULL,
    kind        varchar(16)  NOT NULL CHECK (kind IN ('full-resync', 'copy-back')),
    source      estate_name  NOT NULL,
    bytes       bigint       NOT NULL CHECK (bytes >= 0),
    rows_copied bigint       NOT NULL CHECK (rows_copied >= 0),
    duration_ms bigint       NOT NULL CHECK (duration_ms >= 0),
    finished_at timestamptz  NOT NULL
);
CREATE INDEX full_copy_database_idx ON full_copy (database, id DESC);

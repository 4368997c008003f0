-- write-probe: proves the database takes writes (verification after a repoint).
-- Writes and deletes one row in a table of its own; fails on a read-only or fenced database.
--
-- @param operation

CREATE SCHEMA IF NOT EXISTS sco_probe;

CREATE TABLE IF NOT EXISTS sco_probe.write_probe (
    operation  text        PRIMARY KEY,
    written_at timestamptz NOT NULL
);

INSERT INTO sco_probe.write_probe (operation, written_at)
VALUES (current_setting('sco.operation'), now())
ON CONFLICT (operation) DO UPDATE SET written_at = excluded.written_at;

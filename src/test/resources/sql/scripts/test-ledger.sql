-- Test script: builds a small ledger, reads a parameter, returns the rows.
-- @param suffix
CREATE SCHEMA script_test;
CREATE TABLE script_test.ledger (id integer PRIMARY KEY, note text NOT NULL);
INSERT INTO script_test.ledger (id, note) SELECT g, 'entry; ' || g FROM generate_series(1, 5) g;
UPDATE script_test.ledger SET note = note || current_setting('sco.suffix') WHERE id <= 2;
DO $$
BEGIN
    RAISE NOTICE 'ledger has % rows', (SELECT count(*) FROM script_test.ledger);
END
$$;
SELECT id, note FROM script_test.ledger ORDER BY id;

-- Test script: the last statement violates the primary key, so nothing may remain.
CREATE SCHEMA script_test;
CREATE TABLE script_test.ledger (id integer PRIMARY KEY, note text NOT NULL);
INSERT INTO script_test.ledger (id, note) VALUES (1, 'one'), (2, 'two');
INSERT INTO script_test.ledger (id, note) VALUES (2, 'two again');

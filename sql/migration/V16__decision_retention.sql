-- Repeats of a decision coalesce into its row: the standby watch alone decides about every hub
-- pair every 5 s, mostly the same thing. decided_at stays the first time, last_decided_at is the
-- latest, occurrences counts them; the retention purge removes rows by their latest time.
ALTER TABLE sensor_decision ADD COLUMN last_decided_at timestamptz;
ALTER TABLE sensor_decision ADD COLUMN occurrences integer NOT NULL DEFAULT 1;
ALTER TABLE sensor_decision ADD COLUMN last_node varchar(200);
UPDATE sensor_decision SET last_decided_at = decided_at, last_node = node;
ALTER TABLE sensor_decision ALTER COLUMN last_decided_at SET NOT NULL;
ALTER TABLE sensor_decision ADD CONSTRAINT sensor_decision_occurrences_check CHECK (occurrences >= 1);

-- The latest decision about a subject is the one a repeat coalesces into; the API lists by it too.
DROP INDEX IF EXISTS sensor_decision_sensor_idx;
DROP INDEX IF EXISTS sensor_decision_subject_idx;
CREATE INDEX sensor_decision_latest_idx ON sensor_decision (sensor, subject, last_decided_at DESC, id DESC);
CREATE INDEX sensor_decision_sensor_idx ON sensor_decision (sensor, last_decided_at DESC);
CREATE INDEX sensor_decision_subject_idx ON sensor_decision (subject, last_decided_at DESC);
CREATE INDEX sensor_decision_last_idx ON sensor_decision (last_decided_at);

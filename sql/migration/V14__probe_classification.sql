-- What the health probe sensor's last probe found, so health reports and operators can tell an
-- outage (unreachable: counts toward an unplanned failover) from a server that answered and turned
-- the probe away (refused: too many clients, authentication, missing database; never a failover).
ALTER TABLE database_probe_state ADD COLUMN last_classification varchar(16);
UPDATE database_probe_state
   SET last_classification = CASE WHEN last_error IS NULL THEN 'reachable' ELSE 'unreachable' END;
ALTER TABLE database_probe_state
    ALTER COLUMN last_classification SET NOT NULL,
    ADD CONSTRAINT database_probe_state_classification_check
        CHECK (last_classification IN ('reachable', 'unreachable', 'refused'));
-- Latency of the last probe, shown in the targets health group (no extra connection per request).
ALTER TABLE database_probe_state ADD COLUMN last_latency_ms bigint;

-- Roles follow operations. database_endpoint.role stays the static pairing (which side was
-- registered as primary, which as its failover); acting_role is what the database does now:
--   primary    the consumers write here (the registered primary, or its failover database after a failover)
--   standby    a sync target, ready to take over (the registered failover database in normal operation)
--   failed     the old primary after a completed failover: never probed for a failover, only for its return
--   restoring  a failed primary while a restoration brings the consumers back to it
-- role_since, role_operation_id and role_reason say since when, by which continuity operation and why.
ALTER TABLE database_endpoint
    ADD COLUMN acting_role       varchar(16),
    ADD COLUMN role_since        timestamptz,
    ADD COLUMN role_operation_id bigint,
    ADD COLUMN role_reason       text;

-- Every change of an acting role, oldest first: GET /api/databases/{name}/roles. Written by a
-- trigger, so no path that changes a role (API, operation step, migration) can skip it. No foreign
-- key: the history outlives a re-registration.
CREATE TABLE database_role_change (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    database      estate_name NOT NULL,
    acting_role   varchar(16) NOT NULL,
    previous_role varchar(16),
    changed_at    timestamptz NOT NULL,
    operation_id  bigint,
    reason        text        NOT NULL
);
CREATE INDEX database_role_change_database_idx ON database_role_change (database, id);

-- A new endpoint, or one whose registered role changes, acts in its registered role from then on
-- (primary -> primary, failover -> standby). Endpoints are inserted by the API, the demo estate and
-- tests without naming an acting role; the default must follow the registered role, which a column
-- default cannot express.
CREATE FUNCTION database_endpoint_acting_role() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.role IS DISTINCT FROM OLD.role THEN
        IF TG_OP = 'INSERT' AND NEW.acting_role IS NOT NULL THEN
            NEW.role_since := coalesce(NEW.role_since, now());
            NEW.role_reason := coalesce(NEW.role_reason, 'registered');
        ELSE
            NEW.acting_role := CASE NEW.role WHEN 'primary' THEN 'primary' ELSE 'standby' END;
            NEW.role_since := now();
            NEW.role_operation_id := NULL;
            NEW.role_reason := CASE WHEN TG_OP = 'INSERT' THEN 'registered as ' || NEW.role
                                    ELSE 're-registered as ' || NEW.role END;
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION database_endpoint_role_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.acting_role IS DISTINCT FROM OLD.acting_role THEN
        INSERT INTO database_role_change (database, acting_role, previous_role, changed_at, operation_id, reason)
        VALUES (NEW.name, NEW.acting_role, CASE WHEN TG_OP = 'UPDATE' THEN OLD.acting_role END, NEW.role_since,
                NEW.role_operation_id, NEW.role_reason);
    END IF;
    RETURN NULL;
END $$;

-- Existing endpoints: their registered role, or, for a pair whose last real failover completed and
-- was not restored, the roles that failover left (otherwise the probe would fail the dead primary
-- over a second time right after the upgrade).
UPDATE database_endpoint d
   SET acting_role = CASE d.role WHEN 'primary' THEN 'primary' ELSE 'standby' END,
       role_since = d.updated_at, role_reason = 'registered as ' || d.role;
UPDATE database_endpoint d
   SET acting_role = CASE WHEN d.name = f.database THEN 'failed' ELSE 'primary' END,
       role_since = coalesce(f.verified_at, f.ended_at), role_operation_id = f.id,
       role_reason = 'failover ' || f.id || ' ended ' || f.state || ' (set when roles were introduced)'
  FROM (SELECT DISTINCT ON (database) * FROM continuity_operation
         WHERE kind = 'failover' AND mode <> 'drill'
         ORDER BY database, requested_at DESC, id DESC) f
 WHERE f.state IN ('failed-over', 'incomplete') AND d.name IN (f.database, f.failover_database);
UPDATE database_endpoint d
   SET acting_role = 'restoring', role_since = r.requested_at, role_operation_id = r.id,
       role_reason = 'restoration ' || r.id || ' running (set when roles were introduced)'
  FROM continuity_operation r
 WHERE r.kind = 'restoration' AND r.ended_at IS NULL AND d.name = r.database AND d.acting_role = 'failed';
INSERT INTO database_role_change (database, acting_role, previous_role, changed_at, operation_id, reason)
SELECT name, acting_role, NULL, role_since, role_operation_id, role_reason FROM database_endpoint;

ALTER TABLE database_endpoint
    ALTER COLUMN acting_role SET NOT NULL,
    ALTER COLUMN role_since SET NOT NULL,
    ALTER COLUMN role_reason SET NOT NULL,
    ADD CONSTRAINT database_endpoint_acting_role_check
        CHECK (acting_role IN ('primary', 'standby', 'failed', 'restoring'));

CREATE TRIGGER database_endpoint_acting_role BEFORE INSERT OR UPDATE OF role ON database_endpoint
    FOR EACH ROW EXECUTE FUNCTION database_endpoint_acting_role();
CREATE TRIGGER database_endpoint_role_history AFTER INSERT OR UPDATE OF acting_role ON database_endpoint
    FOR EACH ROW EXECUTE FUNCTION database_endpoint_role_history();

-- The health probe watches a failed (or restoring) primary for its return only: what it last
-- reported of it (classification) for which role period (the role_since it reported under), so it
-- records a decision when the primary comes back or goes away again, not at every probe.
ALTER TABLE database_probe_state
    ADD COLUMN return_reported         varchar(16),
    ADD COLUMN return_reported_for     timestamptz;

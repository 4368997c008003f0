-- fence-read-only: makes a database refuse its consumers (the old primary after a failover, the
-- failover database while it is copied back).
-- The read-only default alone does not hold: any client may ask SET TRANSACTION READ WRITE. So the
-- consumers lose the right to connect at all: CONNECT is revoked from PUBLIC and from every
-- consumer role (sco.consumer_roles, comma-separated, validated names; roles that do not exist on
-- this server and the orchestrator's own user are skipped). The orchestrator's user is granted
-- CONNECT first, so it can still unfence. New sessions stay read-only, and every other session is
-- ended, so a consumer still connected must reconnect and is refused.
-- Superusers bypass every privilege; the orchestrator checks for them and reports "not fenced".
-- What this changes is recorded by the orchestrator before it runs. Reverse: unfence.
--
-- @param consumer_roles

DO $$
DECLARE
    consumer text;
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), current_user);
    EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
    FOR consumer IN
        SELECT r.rolname FROM pg_roles r
         WHERE r.rolname = ANY (string_to_array(current_setting('sco.consumer_roles'), ','))
           AND r.rolname <> current_user
    LOOP
        EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM %I', current_database(), consumer);
    END LOOP;
    EXECUTE format('ALTER DATABASE %I SET default_transaction_read_only = on', current_database());
END
$$;

SELECT pg_terminate_backend(pid)
  FROM pg_stat_activity
 WHERE datname = current_database()
   AND pid <> pg_backend_pid()
   AND backend_type = 'client backend';

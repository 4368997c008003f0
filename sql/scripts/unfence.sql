-- unfence: lets a fenced database take its consumers and writes again (restoration, before it
-- becomes the primary again or a sync target). Undoes exactly what fence-read-only did, from what
-- the orchestrator recorded before the fence: CONNECT goes back to the grantees that had it
-- (sco.regrant_public, sco.regrant_roles comma-separated), the orchestrator's user loses the
-- CONNECT the fence gave it when it had none before (sco.revoke_self, empty: keep), and the
-- read-only default is reset. Without a recorded fence all three are empty: only the default is reset.
-- A fenced database starts every transaction read-only, so this one asks for read-write first.
--
-- @param regrant_public
-- @param regrant_roles
-- @param revoke_self

SET TRANSACTION READ WRITE;

DO $$
DECLARE
    grantee text;
BEGIN
    IF current_setting('sco.regrant_public')::boolean THEN
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO PUBLIC', current_database());
    END IF;
    FOR grantee IN
        SELECT r.rolname FROM pg_roles r
         WHERE r.rolname = ANY (string_to_array(current_setting('sco.regrant_roles'), ','))
    LOOP
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), grantee);
    END LOOP;
    IF current_setting('sco.revoke_self') <> '' THEN
        EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM %I', current_database(), current_setting('sco.revoke_self'));
    END IF;
    EXECUTE format('ALTER DATABASE %I RESET default_transaction_read_only', current_database());
END
$$;

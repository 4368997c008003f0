-- backup-tables: keeps a copy of every table of the pair's schema (sco.schema) in schema sco_backup_<label>
-- on the same server, before a restoration copies this database back onto the primary. The copy
-- stays until a DBA drops it. Works on a fenced (read-only by default) database.
--
-- @param label
-- @param schema

SET TRANSACTION READ WRITE;

DO $$
DECLARE
    source text := current_setting('sco.schema');
    backup text := 'sco_backup_' || current_setting('sco.label');
    r      record;
BEGIN
    IF backup !~ '^sco_backup_[a-z0-9_]{1,40}$' THEN
        RAISE EXCEPTION 'backup label must be lower-case letters, digits and _: %', backup;
    END IF;
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', backup);
    FOR r IN
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = source AND c.relkind IN ('r', 'p') AND NOT c.relispartition
         ORDER BY c.relname
    LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I.%I', backup, r.relname);
        EXECUTE format('CREATE TABLE %I.%I AS TABLE %I.%I', backup, r.relname, source, r.relname);
    END LOOP;
END
$$;

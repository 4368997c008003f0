-- enable-triggers-and-constraints: third step of preparing a sync target to become the active
-- database. Adds back the foreign keys make-sync-target dropped (validated: run remove-orphans
-- first) and enables the triggers it disabled. Next: advance-sequences.
--
-- @param schema

DO $$
DECLARE
    target text := current_setting('sco.schema');
    r      record;
BEGIN
    IF to_regclass('sco_sync.saved_constraint') IS NULL THEN
        RAISE NOTICE 'schema % was never made a sync target: nothing to do', target;
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM sco_sync.saved_index WHERE table_schema = target) THEN
        RAISE EXCEPTION 'unique indexes of schema % are not restored yet: run restore-unique-indexes first', target;
    END IF;
    FOR r IN
        SELECT * FROM sco_sync.saved_constraint
        WHERE table_schema = target AND constraint_type = 'f'
        ORDER BY table_name, constraint_name
    LOOP
        EXECUTE format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s',
                       r.table_schema, r.table_name, r.constraint_name, r.definition);
        DELETE FROM sco_sync.saved_constraint
        WHERE table_schema = r.table_schema AND table_name = r.table_name AND constraint_name = r.constraint_name;
        RAISE NOTICE 'restored foreign key %.%', r.table_name, r.constraint_name;
    END LOOP;
    FOR r IN
        SELECT * FROM sco_sync.disabled_trigger WHERE table_schema = target ORDER BY table_name, trigger_name
    LOOP
        EXECUTE format('ALTER TABLE %I.%I ENABLE TRIGGER %I', r.table_schema, r.table_name, r.trigger_name);
        DELETE FROM sco_sync.disabled_trigger
        WHERE table_schema = r.table_schema AND table_name = r.table_name AND trigger_name = r.trigger_name;
        RAISE NOTICE 'enabled trigger %.%', r.table_name, r.trigger_name;
    END LOOP;
END
$$;

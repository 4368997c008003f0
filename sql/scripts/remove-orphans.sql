-- remove-orphans: first step of preparing a sync target to become the active database.
-- Deletes the rows whose parent is missing, for every foreign key make-sync-target dropped,
-- repeating until a pass deletes nothing (an orphan's children are orphans too).
-- Next: restore-unique-indexes.
--
-- @param schema

DO $$
DECLARE
    target      text := current_setting('sco.schema');
    r           record;
    deleted     bigint;
    pass_total  bigint;
BEGIN
    IF to_regclass('sco_sync.saved_constraint') IS NULL THEN
        RAISE NOTICE 'schema % was never made a sync target: nothing to do', target;
        RETURN;
    END IF;
    LOOP
        pass_total := 0;
        FOR r IN
            SELECT * FROM sco_sync.saved_constraint
            WHERE table_schema = target AND constraint_type = 'f'
            ORDER BY table_name, constraint_name
        LOOP
            -- A row with a null key column references nothing (MATCH SIMPLE), so it is no orphan.
            EXECUTE format('DELETE FROM %I.%I c WHERE %s AND NOT EXISTS (SELECT 1 FROM %I.%I p WHERE %s)',
                           r.table_schema, r.table_name,
                           (SELECT string_agg(format('c.%I IS NOT NULL', col), ' AND ') FROM unnest(r.columns) col),
                           r.referenced_schema, r.referenced_table,
                           (SELECT string_agg(format('p.%I = c.%I', ref, col), ' AND ')
                            FROM unnest(r.referenced_columns, r.columns) AS pair(ref, col)));
            GET DIAGNOSTICS deleted = ROW_COUNT;
            IF deleted > 0 THEN
                RAISE NOTICE 'removed % orphaned rows from % (%)', deleted, r.table_name, r.constraint_name;
            END IF;
            pass_total := pass_total + deleted;
        END LOOP;
        EXIT WHEN pass_total = 0;
    END LOOP;
END
$$;

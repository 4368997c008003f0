-- restore-unique-indexes: second step of preparing a sync target to become the active database.
-- For every unique index make-sync-target replaced: removes duplicate rows (keeping the copy
-- written last, i.e. the newest sync), restores the primary key, unique constraint or unique
-- index, and drops the non-unique replacement.
-- Next: enable-triggers-and-constraints.
--
-- @param schema

DO $$
DECLARE
    target  text := current_setting('sco.schema');
    r       record;
    deleted bigint;
BEGIN
    IF to_regclass('sco_sync.saved_index') IS NULL THEN
        RAISE NOTICE 'schema % was never made a sync target: nothing to do', target;
        RETURN;
    END IF;
    FOR r IN
        SELECT i.*, c.constraint_name, c.constraint_type, c.definition AS constraint_definition
        FROM sco_sync.saved_index i
        LEFT JOIN sco_sync.saved_constraint c
               ON c.table_schema = i.table_schema AND c.table_name = i.table_name
              AND c.constraint_name = i.index_name AND c.constraint_type IN ('p', 'u')
        WHERE i.table_schema = target
        ORDER BY i.table_name, i.index_name
    LOOP
        IF r.columns IS NOT NULL THEN
            -- Duplicates of one key share a partition (a unique key holds the partition key).
            EXECUTE format('DELETE FROM %I.%I a USING %I.%I b WHERE %s AND a.tableoid = b.tableoid AND a.ctid < b.ctid',
                           r.table_schema, r.table_name, r.table_schema, r.table_name,
                           (SELECT string_agg(format('a.%I = b.%I', col, col), ' AND ') FROM unnest(r.columns) col));
            GET DIAGNOSTICS deleted = ROW_COUNT;
            IF deleted > 0 THEN
                RAISE NOTICE 'removed % duplicate rows from % (%)', deleted, r.table_name, r.index_name;
            END IF;
        ELSE
            RAISE NOTICE 'index % has expressions or a predicate: duplicates are not removed before restoring it',
                r.index_name;
        END IF;
        IF r.constraint_name IS NOT NULL THEN
            EXECUTE format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s',
                           r.table_schema, r.table_name, r.constraint_name, r.constraint_definition);
            DELETE FROM sco_sync.saved_constraint
            WHERE table_schema = r.table_schema AND table_name = r.table_name AND constraint_name = r.constraint_name;
        ELSE
            EXECUTE r.definition;
        END IF;
        EXECUTE format('DROP INDEX IF EXISTS %I.%I', r.table_schema, r.replacement);
        DELETE FROM sco_sync.saved_index WHERE table_schema = r.table_schema AND index_name = r.index_name;
        RAISE NOTICE 'restored unique index %.%', r.table_name, r.index_name;
    END LOOP;
END
$$;

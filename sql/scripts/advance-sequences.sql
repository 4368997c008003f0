-- advance-sequences: last step of preparing a sync target to become the active database.
-- Rows arrived by COPY with their ids, so identity and serial sequences lag behind: move each
-- past the largest id in its column (never backwards), so new rows get fresh ids.
--
-- @param schema

DO $$
DECLARE
    target  text := current_setting('sco.schema');
    r       record;
    largest bigint;
    current bigint;
BEGIN
    FOR r IN
        SELECT n.nspname, c.relname, a.attname,
               pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) AS seq
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = target AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND a.attnum > 0 AND NOT a.attisdropped
          AND pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) IS NOT NULL
        ORDER BY c.relname, a.attname
    LOOP
        EXECUTE format('SELECT max(%I) FROM %I.%I', r.attname, r.nspname, r.relname) INTO largest;
        EXECUTE format('SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM %s', r.seq) INTO current;
        IF largest IS NOT NULL AND largest > current THEN
            PERFORM setval(r.seq, largest, true);
            RAISE NOTICE 'sequence of %.% moved to %', r.relname, r.attname, largest;
        END IF;
    END LOOP;
END
$$;

-- make-sync-target: turns a database into a sync target so incremental loads never fail.
-- Runs on the failover database only. For every table of the schema (parameter sco.schema: the
-- schema registered with the pair's sync tables) it
--   1. drops the foreign keys,
--   2. replaces primary keys, unique constraints and unique indexes by non-unique indexes
--      (named <original>_nu, so lookups stay fast),
--   3. disables all triggers.
-- What it removes is saved in schema sco_sync first, so the failover preparation scripts can put
-- it back. Idempotent: a second run finds nothing left to do.
--
-- @param schema

CREATE SCHEMA IF NOT EXISTS sco_sync;

CREATE TABLE IF NOT EXISTS sco_sync.saved_constraint (
    table_schema       name        NOT NULL,
    table_name         name        NOT NULL,
    constraint_name    name        NOT NULL,
    constraint_type    "char"      NOT NULL,
    definition         text        NOT NULL,
    -- foreign keys: the referencing columns and what they reference, for removing orphans
    columns            name[],
    referenced_schema  name,
    referenced_table   name,
    referenced_columns name[],
    saved_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_schema, table_name, constraint_name)
);

CREATE TABLE IF NOT EXISTS sco_sync.saved_index (
    table_schema name        NOT NULL,
    table_name   name        NOT NULL,
    index_name   name        NOT NULL,
    definition   text        NOT NULL,
    replacement  name        NOT NULL,
    -- key columns, for removing duplicates; null for expression or partial indexes
    columns      name[],
    saved_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_schema, index_name)
);

CREATE TABLE IF NOT EXISTS sco_sync.disabled_trigger (
    table_schema name        NOT NULL,
    table_name   name        NOT NULL,
    trigger_name name        NOT NULL,
    saved_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_schema, table_name, trigger_name)
);

-- 1. Foreign keys (first: unique keys they reference cannot go while they exist).
-- Constraints cloned onto partitions (conparentid <> 0) go with their parent.
DO $$
DECLARE
    target text := current_setting('sco.schema');
    r      record;
BEGIN
    FOR r IN
        SELECT n.nspname, c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid) AS definition,
               (SELECT array_agg(a.attname ORDER BY k.ord)
                FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
               rn.nspname AS referenced_schema, rc.relname AS referenced_table,
               (SELECT array_agg(a.attname ORDER BY k.ord)
                FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS referenced_columns
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_class rc ON rc.oid = con.confrelid
        JOIN pg_namespace rn ON rn.oid = rc.relnamespace
        WHERE n.nspname = target AND con.contype = 'f' AND con.conparentid = 0
        ORDER BY c.relname, con.conname
    LOOP
        INSERT INTO sco_sync.saved_constraint (table_schema, table_name, constraint_name, constraint_type, definition,
                                               columns, referenced_schema, referenced_table, referenced_columns)
        VALUES (r.nspname, r.relname, r.conname, r.contype, r.definition,
                r.columns, r.referenced_schema, r.referenced_table, r.referenced_columns)
        ON CONFLICT DO NOTHING;
        EXECUTE format('ALTER TABLE %I.%I DROP CONSTRAINT %I', r.nspname, r.relname, r.conname);
        RAISE NOTICE 'dropped foreign key %.%', r.relname, r.conname;
    END LOOP;
END
$$;

-- 2. Unique indexes, whether behind a primary key / unique constraint or on their own.
-- Index partitions go with the index of their partitioned parent.
DO $$
DECLARE
    target      text := current_setting('sco.schema');
    r           record;
    replacement text;
BEGIN
    FOR r IN
        SELECT n.nspname, t.relname AS table_name, ic.relname AS index_name,
               pg_get_indexdef(i.indexrelid) AS index_definition,
               CASE WHEN i.indexprs IS NULL AND i.indpred IS NULL THEN
                   (SELECT array_agg(a.attname ORDER BY k.ord)
                    FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                    WHERE k.ord <= i.indnkeyatts)
               END AS columns,
               con.conname, con.contype, pg_get_constraintdef(con.oid) AS constraint_definition
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.contype IN ('p', 'u')
        WHERE n.nspname = target AND i.indisunique AND NOT ic.relispartition
        ORDER BY t.relname, ic.relname
    LOOP
        replacement := left(r.index_name, 60) || '_nu';
        INSERT INTO sco_sync.saved_index (table_schema, table_name, index_name, definition, replacement, columns)
        VALUES (r.nspname, r.table_name, r.index_name, r.index_definition, replacement, r.columns)
        ON CONFLICT DO NOTHING;
        -- "CREATE UNIQUE INDEX x ON [ONLY] t USING ..." becomes "CREATE INDEX x_nu ON t USING ...";
        -- without ONLY the new index also covers every partition.
        EXECUTE 'CREATE INDEX IF NOT EXISTS ' || quote_ident(replacement) || ' ON '
                || replace(regexp_replace(regexp_replace(r.index_definition, '^.*? ON ', ''), '^ONLY ', ''),
                           ' NULLS NOT DISTINCT', '');
        IF r.conname IS NOT NULL THEN
            INSERT INTO sco_sync.saved_constraint (table_schema, table_name, constraint_name, constraint_type, definition)
            VALUES (r.nspname, r.table_name, r.conname, r.contype, r.constraint_definition)
            ON CONFLICT DO NOTHING;
            EXECUTE format('ALTER TABLE %I.%I DROP CONSTRAINT %I', r.nspname, r.table_name, r.conname);
        ELSE
            EXECUTE format('DROP INDEX %I.%I', r.nspname, r.index_name);
        END IF;
        RAISE NOTICE 'replaced unique index %.% by non-unique %', r.table_name, r.index_name, replacement;
    END LOOP;
END
$$;

-- 3. Triggers. Only the user triggers that were enabled are remembered for re-enabling.
DO $$
DECLARE
    target text := current_setting('sco.schema');
    r      record;
BEGIN
    INSERT INTO sco_sync.disabled_trigger (table_schema, table_name, trigger_name)
    SELECT n.nspname, c.relname, tg.tgname
    FROM pg_trigger tg
    JOIN pg_class c ON c.oid = tg.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = target AND NOT tg.tgisinternal AND tg.tgenabled <> 'D'
    ON CONFLICT DO NOTHING;

    FOR r IN
        SELECT DISTINCT n.nspname, c.relname
        FROM pg_trigger tg
        JOIN pg_class c ON c.oid = tg.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = target AND c.relkind IN ('r', 'p') AND tg.tgenabled <> 'D'
        ORDER BY c.relname
    LOOP
        EXECUTE format('ALTER TABLE %I.%I DISABLE TRIGGER ALL', r.nspname, r.relname);
        RAISE NOTICE 'disabled triggers of %', r.relname;
    END LOOP;
END
$$;

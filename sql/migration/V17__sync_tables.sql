-- Issue 14: what each pair synchronises is kept here (set with PUT /api/sync/{database}/tables,
-- or seeded at start-up by the demo estate and by orchestrator.sync.pairs.*), and is the one
-- source for sync, the failover preparation scripts, restoration's copy back and the KPIs.

-- One row per pair (named by its primary): the application schema on both databases.
CREATE TABLE sync_table_set (
    database    estate_name  PRIMARY KEY,
    schema_name varchar(63)  NOT NULL,
    updated_at  timestamptz  NOT NULL,
    updated_by  varchar(128) NOT NULL
);

-- The tables of a pair in copy order (parents before children).
CREATE TABLE sync_table (
    database         estate_name NOT NULL REFERENCES sync_table_set (database) ON DELETE CASCADE,
    position         integer     NOT NULL,
    table_name       varchar(63) NOT NULL,
    kind             varchar(16) NOT NULL CHECK (kind IN ('referenced', 'non-referenced', 'partitioned', 'lookup')),
    increment_column varchar(63),
    -- The table whose new rows the KPI "handled on the failover database" counts (at most one per pair).
    kpi              boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (database, position),
    UNIQUE (database, table_name),
    CHECK ((kind = 'non-referenced') = (increment_column IS NULL)),
    CHECK (NOT kpi OR increment_column IS NOT NULL)
);
CREATE UNIQUE INDEX sync_table_one_kpi ON sync_table (database) WHERE kpi;

-- Tables whose increment column is a growing value (an integer, or a timestamp without time
-- zone) rather than a timestamptz: the largest value each successful task copied up to, by the
-- run's checkpoint. The next run re-reads from the value recorded at least the overlap before
-- its previous checkpoint (the overlap, in the column's own terms).
CREATE TABLE sync_checkpoint_value (
    database   estate_name  NOT NULL,
    table_name varchar(128) NOT NULL,
    checkpoint timestamptz  NOT NULL,
    value      text         NOT NULL,
    PRIMARY KEY (database, table_name, checkpoint)
);

-- The range of a task over such a column (range_after / range_up_to hold timestamptz ranges).
ALTER TABLE sync_task ADD COLUMN value_after text, ADD COLUMN value_up_to text;

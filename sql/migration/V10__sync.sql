-- S3 database synchronisation: the is-running flag and readiness of each pair, the per-table
-- checkpoints, and the run log. Pairs are named by their primary database.

CREATE TABLE sync_state (
    database             estate_name PRIMARY KEY,
    -- The is-running flag: set with a conditional UPDATE, so one run at a time across all nodes.
    running_run_id       bigint,
    running_since        timestamptz,
    running_node         varchar(256),
    heartbeat_at         timestamptz,
    consecutive_failures integer     NOT NULL DEFAULT 0,
    -- Set after too many consecutive failures; the schedule skips the pair until recovery resumes it.
    stopped_at           timestamptz,
    stopped_reason       text,
    CHECK ((running_run_id IS NULL) = (running_since IS NULL))
);

CREATE TABLE sync_checkpoint (
    database     estate_name  NOT NULL,
    table_name   varchar(128) NOT NULL,
    checkpoint   timestamptz  NOT NULL,
    rows_copied  bigint       NOT NULL,
    updated_at   timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (database, table_name)
);

CREATE TABLE sync_run (
    id          bigserial PRIMARY KEY,
    database    estate_name  NOT NULL,
    failover    estate_name  NOT NULL,
    kind        varchar(16)  NOT NULL CHECK (kind IN ('scheduled', 'manual', 'full')),
    node        varchar(256) NOT NULL,
    requested_by varchar(128),
    started_at  timestamptz  NOT NULL,
    checkpoint  timestamptz,
    ended_at    timestamptz,
    result      varchar(16)  NOT NULL CHECK (result IN ('running', 'succeeded', 'failed', 'abandoned')),
    error       text
);
CREATE INDEX sync_run_database_idx ON sync_run (database, id DESC);

CREATE TABLE sync_task (
    run_id      bigint       NOT NULL REFERENCES sync_run (id) ON DELETE CASCADE,
    position    integer      NOT NULL,
    table_name  varchar(128) NOT NULL,
    kind        varchar(16)  NOT NULL,
    range_after timestamptz,
    range_up_to timestamptz,
    started_at  timestamptz  NOT NULL,
    ended_at    timestamptz,
    result      varchar(16)  NOT NULL CHECK (result IN ('running', 'succeeded', 'failed')),
    rows_copied bigint       NOT NULL DEFAULT 0,
    rows_removed bigint      NOT NULL DEFAULT 0,
    error       text,
    PRIMARY KEY (run_id, position)
);

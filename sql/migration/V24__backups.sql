-- Backups (issue 14 point 5): before a restoration copies the failover database back, the
-- configured tables of the pair are copied (COPY) onto a backup database registered for the pair,
-- a database that is neither of the pair's own. Each backup is a schema of its own there, named
-- after the operation and the backup id; what it holds is recorded here, so a DBA can list the
-- backups and restore one onto the database it was taken from.

-- The backup database of a pair, keyed by the pair's primary (the failover database uses its
-- partner's). The password comes from the environment variable named, never stored.
CREATE TABLE backup_target (
    database      estate_name   PRIMARY KEY,
    jdbc_url      varchar(1024) NOT NULL,
    username      varchar(128)  NOT NULL,
    password_env  varchar(128),
    registered_by varchar(128)  NOT NULL,
    registered_at timestamptz   NOT NULL,
    updated_at    timestamptz   NOT NULL
);

-- One backup: the tables of database's pair (schema source_schema) copied into schema location_schema
-- of the backup database at location_url. tables: [{"name": ..., "rows": ...}] in copy order.
CREATE TABLE backup (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operation_id    bigint        REFERENCES continuity_operation (id),
    database        estate_name   NOT NULL,
    pair            estate_name   NOT NULL,
    source_schema   varchar(63)   NOT NULL,
    location_url    varchar(1024) NOT NULL,
    location_schema varchar(63)   NOT NULL,
    tables          jsonb         NOT NULL DEFAULT '[]',
    total_rows      bigint,
    state           varchar(16)   NOT NULL CHECK (state IN ('running', 'completed', 'failed')),
    started_at      timestamptz   NOT NULL,
    finished_at     timestamptz,
    error           text,
    CHECK ((state = 'running') = (finished_at IS NULL))
);
CREATE INDEX backup_database_idx ON backup (database, id DESC);
-- A re-run of an operation's backup step replaces the backup it made of that database.
CREATE UNIQUE INDEX backup_operation_database_idx ON backup (operation_id, database) WHERE operation_id IS NOT NULL;

-- A restore of a backup onto its database; one at a time per database.
CREATE TABLE backup_restore (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    backup_id    bigint       NOT NULL REFERENCES backup (id),
    database     estate_name  NOT NULL,
    requested_by varchar(128) NOT NULL,
    reason       varchar(1000) NOT NULL,
    started_at   timestamptz  NOT NULL,
    finished_at  timestamptz,
    state        varchar(16)  NOT NULL CHECK (state IN ('running', 'completed', 'failed')),
    total_rows   bigint,
    error        text,
    CHECK ((state = 'running') = (finished_at IS NULL))
);
CREATE UNIQUE INDEX backup_restore_running_idx ON backup_restore (database) WHERE state = 'running';

-- KPI of a failover (issue 14 point 8): rows of the pair's KPI table written on the failover
-- database per day (UTC) while it was active, frozen when the restoration ends.
CREATE TABLE operation_kpi_day (
    operation_id bigint NOT NULL REFERENCES continuity_operation (id),
    day          date   NOT NULL,
    handled      bigint NOT NULL,
    PRIMARY KEY (operation_id, day)
);

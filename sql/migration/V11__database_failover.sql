-- Database failover and restoration (S3): operations, their KPIs, and the database jobs they switch.

-- One row per failover, drill or restoration: who asked, why, what happened, how long it took.
CREATE TABLE continuity_operation (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind                    varchar(16)  NOT NULL CHECK (kind IN ('failover', 'restoration')),
    mode                    varchar(16)  NOT NULL CHECK (mode IN ('unplanned', 'planned', 'drill', 'restore')),
    database                estate_name  NOT NULL,
    failover_database       estate_name  NOT NULL,
    requested_by            varchar(128) NOT NULL,
    reason                  text         NOT NULL,
    ticket                  varchar(128),
    requested_at            timestamptz  NOT NULL,
    process_instance_id     varchar(64),
    state                   varchar(24)  NOT NULL,
    data_loss_window_ms     bigint,
    last_checkpoint_at      timestamptz,
    approved_by             varchar(128),
    approved_at             timestamptz,
    fenced                  boolean,
    fence_detail            text,
    unfenced_acknowledged_by varchar(128),
    verified_at             timestamptz,
    consumers_moved         text[],
    consumers_not_moved     text[],
    ended_at                timestamptz,
    alerts_on_failover      bigint,
    evidence                text,
    -- restorations: the failover they undo, when the primary was repaired, which way they went
    restores_operation_id   bigint REFERENCES continuity_operation (id),
    instance                estate_name,
    repaired_at             timestamptz,
    restore_path            varchar(16) CHECK (restore_path IN ('repoint', 'copy-back'))
);
-- At most one running failover per database: the second request is refused (409). Drills change
-- nothing, so they never stand in the way of a real failover.
CREATE UNIQUE INDEX continuity_operation_one_running ON continuity_operation (database)
    WHERE kind = 'failover' AND mode <> 'drill' AND ended_at IS NULL;
-- At most one running restoration per database.
CREATE UNIQUE INDEX continuity_operation_one_restoration ON continuity_operation (database)
    WHERE kind = 'restoration' AND ended_at IS NULL;
CREATE INDEX continuity_operation_database_idx ON continuity_operation (database, requested_at DESC);

-- Scheduled jobs of the monitored application, bound to a database. Maintenance jobs run only on
-- the active database; the grooming/partitioning job stays enabled on both sides.
CREATE TABLE database_job (
    database   estate_name NOT NULL REFERENCES database_endpoint (name) ON DELETE CASCADE,
    name       estate_name NOT NULL,
    kind       varchar(16) NOT NULL CHECK (kind IN ('maintenance', 'grooming')),
    enabled    boolean     NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (database, name)
);

-- Where a management server can be told to reconnect after a repoint (optional: servers that
-- poll GET /api/bindings/{consumer} follow by themselves).
ALTER TABLE server ADD COLUMN reconnect_url varchar(1024)
    CHECK (reconnect_url IS NULL OR reconnect_url ~ '^https?://');

-- The health probe sensor's memory, shared by every node: consecutive failed probes per primary.
CREATE TABLE database_probe_state (
    database             estate_name PRIMARY KEY REFERENCES database_endpoint (name) ON DELETE CASCADE,
    consecutive_failures integer     NOT NULL,
    last_probe_at        timestamptz NOT NULL,
    last_error           text
);

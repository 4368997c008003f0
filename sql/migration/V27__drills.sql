-- Drills on a schedule, and the evidence of every drill kept as data (the trend of recoverability).

-- At most one schedule per primary database: a Quartz cron expression and the time zone it is read in.
CREATE TABLE drill_schedule (
    database   estate_name  PRIMARY KEY REFERENCES database_endpoint (name) ON DELETE CASCADE,
    cron       varchar(120) NOT NULL,
    time_zone  varchar(64)  NOT NULL,
    updated_by varchar(128) NOT NULL,
    updated_at timestamptz  NOT NULL
);

-- One row per drill (scheduled or requested by hand), written when the drill starts (scheduled) or
-- when its checks ran. 'scheduled' is the orchestrator's own record that its schedule asked for it.
CREATE TABLE drill_run (
    operation_id          bigint       PRIMARY KEY REFERENCES continuity_operation (id) ON DELETE CASCADE,
    database              estate_name  NOT NULL,
    failover_database     estate_name  NOT NULL,
    scheduled             boolean      NOT NULL,
    requested_at          timestamptz  NOT NULL,
    checked_at            timestamptz,
    primary_reachable     boolean,
    failover_reachable    boolean,
    pre_flight_ok         boolean,
    pre_flight_ms         bigint,
    checks_ms             bigint,
    estimated_rto_ms      bigint,
    would_fence           text,
    fencing_methods       text,
    consumers_to_move     text[],
    consumers_on_primary  text[],
    problems              text[]       NOT NULL DEFAULT '{}'
);
CREATE INDEX drill_run_database_idx ON drill_run (database, requested_at DESC);
CREATE INDEX drill_run_requested_idx ON drill_run (requested_at DESC);

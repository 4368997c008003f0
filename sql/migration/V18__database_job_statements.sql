-- Issue 14 (point 4): database jobs are registered per database with the statements that switch
-- them on that database (PUT /api/databases/{name}/jobs). The failover and restoration steps run
-- them and write every result below. Rows from before this version have no statements: the steps
-- only move their flag, as they did before, and say so in the result.
ALTER TABLE database_job
    ADD COLUMN enable_sql           text,
    ADD COLUMN disable_sql          text,
    -- For the grooming job only: when it starts (five cron fields, in schedule_zone) and how long it
    -- is expected to run. The pair's maintenance window then follows it (no sync, no full copy).
    ADD COLUMN schedule             varchar(128),
    ADD COLUMN schedule_zone        varchar(64),
    ADD COLUMN expected_duration_ms bigint,
    ADD COLUMN position             integer,
    ADD COLUMN updated_at           timestamptz,
    ADD COLUMN updated_by           varchar(128),
    -- The job's state as the orchestrator last set it; null until an operation switched it.
    ALTER COLUMN enabled DROP NOT NULL,
    ADD CONSTRAINT database_job_sql_length CHECK (length(enable_sql) <= 4000 AND length(disable_sql) <= 4000),
    ADD CONSTRAINT database_job_maintenance_statements
        CHECK (kind = 'grooming' OR (enable_sql IS NULL) = (disable_sql IS NULL)),
    ADD CONSTRAINT database_job_schedule_grooming CHECK (schedule IS NULL OR kind = 'grooming'),
    ADD CONSTRAINT database_job_schedule_duration
        CHECK ((schedule IS NULL) = (expected_duration_ms IS NULL) AND (schedule IS NULL) = (schedule_zone IS NULL)),
    ADD CONSTRAINT database_job_duration_range
        CHECK (expected_duration_ms IS NULL OR expected_duration_ms BETWEEN 60000 AND 86400000);
-- One scheduled grooming job per database: the window is derived from it.
CREATE UNIQUE INDEX database_job_one_scheduled_grooming ON database_job (database)
    WHERE kind = 'grooming' AND schedule IS NOT NULL;

-- What a failover or restoration did to each job: the statement run on which database, and how it
-- ended. A retried step skips every (job, database, action) that already has an 'ok' row.
CREATE TABLE database_job_result (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operation_id bigint       NOT NULL REFERENCES continuity_operation (id),
    database     estate_name  NOT NULL,
    job          estate_name  NOT NULL,
    action       varchar(8)   NOT NULL CHECK (action IN ('enable', 'disable')),
    outcome      varchar(16)  NOT NULL CHECK (outcome IN ('ok', 'error', 'flag-only')),
    detail       text,
    statement    text,
    at           timestamptz  NOT NULL
);
CREATE INDEX database_job_result_operation_idx ON database_job_result (operation_id, id);

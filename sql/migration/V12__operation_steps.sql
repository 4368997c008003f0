-- The orchestrator's own record of which steps of an operation have run. Every step with a side
-- effect checks its operation's record before it acts and is written here in the same transaction
-- as the engine's progress, so a row means "this step completed" and a step never runs twice
-- (a retry after a failure finds no row; a second run forced by hand finds one and is refused).
CREATE TABLE operation_step (
    process_instance_id varchar(64)  NOT NULL,
    step                varchar(128) NOT NULL,
    -- what the step belongs to: 'continuity-operation:17', 'outage:4', 'sync-pair:primary-db', ...
    operation           varchar(160) NOT NULL,
    -- who: the authenticated user for a decision (approval, acknowledgement), else 'orchestrator'
    actor               varchar(128) NOT NULL,
    outcome             varchar(64),
    done_at             timestamptz  NOT NULL,
    runs                integer      NOT NULL DEFAULT 1,
    PRIMARY KEY (process_instance_id, step)
);
CREATE INDEX operation_step_operation_idx ON operation_step (operation);

-- Maintenance pauses (issue 15 point 3): while a pause of a target is active, the sensors that
-- could act on it (database health probe, heartbeat detector, hub standby watch) take no action
-- and record the decision "paused". A pause ends by itself (the pause watchdog) or early (API);
-- the conditional UPDATE on ended_at records each end once, whichever node gets there first.
-- A pause that ends while its target is unhealthy opens a review (maintenancePauseReviewProcess);
-- until an operator completes it the sensors keep holding off (review_state 'pending').
-- No foreign key on the target: the history outlives a re-registration.
CREATE TABLE maintenance_pause (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    target_kind         varchar(16)  NOT NULL CHECK (target_kind IN ('database', 'server', 'hub-pair')),
    target_name         estate_name  NOT NULL,
    reason              varchar(500) NOT NULL,
    paused_by           varchar(128) NOT NULL,
    paused_at           timestamptz  NOT NULL,
    paused_until        timestamptz  NOT NULL,
    ended_at            timestamptz,
    ended_by            varchar(128),
    end_kind            varchar(16)  CHECK (end_kind IN ('expired', 'ended-early')),
    -- What the sensors knew about the target when the pause ended, and whether that was unhealthy.
    health_at_end       text,
    unhealthy_at_end    boolean,
    review_state        varchar(16)  CHECK (review_state IN ('pending', 'done', 'cancelled')),
    review_process_instance_id varchar(64),
    reviewed_by         varchar(128),
    reviewed_at         timestamptz,
    review_note         text,
    CHECK (paused_until > paused_at),
    CHECK ((ended_at IS NULL) = (end_kind IS NULL) AND (ended_at IS NULL) = (ended_by IS NULL)),
    CHECK (review_state IS NULL OR ended_at IS NOT NULL)
);
-- One active pause per target (a second one is refused with 409; end it first or let it run out).
CREATE UNIQUE INDEX maintenance_pause_one_active ON maintenance_pause (target_kind, target_name)
    WHERE ended_at IS NULL;
CREATE INDEX maintenance_pause_due_idx ON maintenance_pause (paused_until) WHERE ended_at IS NULL;
CREATE INDEX maintenance_pause_review_idx ON maintenance_pause (target_kind, target_name)
    WHERE review_state = 'pending';
CREATE INDEX maintenance_pause_ended_idx ON maintenance_pause (ended_at DESC) WHERE ended_at IS NOT NULL;

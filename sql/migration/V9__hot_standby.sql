-- Hot standby hub pairs (S4): roles kept consistent by the database, each hub's information
-- base, takeovers, the event sink, and the situations and workflow policies a takeover resets.

-- How long a hub may stay silent before it counts as lost, and when the standby was last
-- found in step with the acting hub (NULL: it must resynchronise before it is ready).
ALTER TABLE hub_pair
    ADD COLUMN heartbeat_timeout_seconds integer NOT NULL DEFAULT 15
        CHECK (heartbeat_timeout_seconds BETWEEN 1 AND 3600),
    ADD COLUMN standby_synced_at timestamptz;

-- The single acting_hub column already rules out two acting hubs. These two rule out "none":
-- once a hub of the pair has been heard from, the pair has an acting hub, and that hub is one
-- that has been heard from. Moving the role to a live standby is the standby watch's job.
ALTER TABLE hub_pair
    ADD CONSTRAINT hub_pair_acting_once_heard
        CHECK (acting_hub IS NOT NULL OR (primary_last_heartbeat IS NULL AND secondary_last_heartbeat IS NULL)),
    ADD CONSTRAINT hub_pair_acting_was_heard
        CHECK (acting_hub IS NULL
            OR (acting_hub = primary_hub AND primary_last_heartbeat IS NOT NULL)
            OR (acting_hub = secondary_hub AND secondary_last_heartbeat IS NOT NULL));

-- Versions come from one sequence, so two hubs never give the same version to different
-- content: the standby copies every row whose version differs from the acting hub's.
CREATE SEQUENCE hub_definition_version;

-- Each hub's information base: situations, policies, managed systems, distributions.
CREATE TABLE hub_definition (
    pair       estate_name NOT NULL REFERENCES hub_pair (name) ON DELETE CASCADE,
    hub        estate_name NOT NULL,
    name       estate_name NOT NULL,
    kind       varchar(16) NOT NULL CHECK (kind IN ('situation', 'policy', 'managed-system', 'distribution')),
    version    bigint      NOT NULL,
    definition text        NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (pair, hub, name)
);

-- Every promotion of a standby; the business key of its hubTakeoverProcess is the key here.
CREATE TABLE hub_takeover (
    business_key        varchar(200) PRIMARY KEY,
    pair                estate_name  NOT NULL,
    from_hub            estate_name  NOT NULL,
    to_hub              estate_name  NOT NULL,
    taken_over_at       timestamptz  NOT NULL,
    standby_was_synced  boolean      NOT NULL,
    process_instance_id varchar(64),
    CHECK (from_hub <> to_hub)
);
CREATE INDEX hub_takeover_pair_idx ON hub_takeover (pair, taken_over_at DESC);

-- The event sink. One event of a kind per process instance, so a retried step emits once.
CREATE TABLE hub_event (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pair                estate_name  NOT NULL,
    kind                varchar(32)  NOT NULL,
    hub                 estate_name  NOT NULL,
    payload             jsonb        NOT NULL,
    emitted_at          timestamptz  NOT NULL,
    process_instance_id varchar(64),
    webhook_status      varchar(16)  NOT NULL
        CHECK (webhook_status IN ('pending', 'not-configured', 'delivered', 'failed')),
    webhook_detail      text,
    UNIQUE (process_instance_id, kind)
);
CREATE INDEX hub_event_pair_idx ON hub_event (pair, emitted_at DESC);

-- Situations of a pair that must be evaluated again (by the acting hub) after a takeover.
CREATE TABLE hub_situation (
    pair                      estate_name  NOT NULL,
    name                      estate_name  NOT NULL,
    needs_reevaluation        boolean      NOT NULL,
    reevaluation_requested_at timestamptz,
    requested_by              varchar(200),
    evaluated_at              timestamptz,
    PRIMARY KEY (pair, name)
);
CREATE INDEX hub_situation_pending_idx ON hub_situation (pair) WHERE needs_reevaluation;

-- Workflow policies as the acting hub reports them; a takeover sends running ones to step 0.
CREATE TABLE hub_policy (
    pair          estate_name  NOT NULL,
    name          estate_name  NOT NULL,
    state         varchar(16)  NOT NULL CHECK (state IN ('running', 'stopped')),
    step          integer      NOT NULL CHECK (step >= 0),
    updated_at    timestamptz  NOT NULL,
    restarted_at  timestamptz,
    restart_count integer      NOT NULL DEFAULT 0,
    restarted_by  varchar(200),
    PRIMARY KEY (pair, name)
);

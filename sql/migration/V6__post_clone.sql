-- Post-clone agent credential checks (S1).

-- A clone reported to the orchestrator; one post-clone check process each.
CREATE TABLE instance_clone (
    clone_id            estate_name PRIMARY KEY,
    instance            estate_name NOT NULL,
    completed_at        timestamptz NOT NULL,
    reported_at         timestamptz NOT NULL,
    reported_by         varchar(128),
    process_instance_id varchar(64)
);

-- The agents that served the target instance before the clone: the only ones ever evaluated.
CREATE TABLE clone_snapshot_agent (
    clone_id estate_name NOT NULL REFERENCES instance_clone (clone_id) ON DELETE CASCADE,
    agent    estate_name NOT NULL,
    PRIMARY KEY (clone_id, agent)
);

-- One row per check that ran, so a re-run of the same check step changes nothing.
CREATE TABLE clone_check_run (
    clone_id     estate_name NOT NULL REFERENCES instance_clone (clone_id) ON DELETE CASCADE,
    check_number integer     NOT NULL CHECK (check_number IN (1, 2)),
    evaluated_at timestamptz NOT NULL,
    agents_down  integer     NOT NULL,
    PRIMARY KEY (clone_id, check_number)
);

-- Issues of agents (the related list of an agent).
CREATE TABLE agent_issue (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agent               estate_name NOT NULL,
    instance            estate_name NOT NULL,
    clone_id            estate_name,
    source              varchar(32) NOT NULL,
    state               varchar(16) NOT NULL CHECK (state IN ('Open', 'Resolved')),
    agent_status        varchar(8)  NOT NULL,
    message             text        NOT NULL,
    first_detected_at   timestamptz NOT NULL,
    last_detected_at    timestamptz NOT NULL,
    last_evaluated_at   timestamptz NOT NULL,
    detection_count     integer     NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL,
    resolved_at         timestamptz,
    operator_note       text,
    operator_process_id varchar(64)
);
-- At most one unresolved issue per agent and source: a repeat detection updates it.
CREATE UNIQUE INDEX agent_issue_one_unresolved ON agent_issue (agent, source) WHERE state <> 'Resolved';
CREATE INDEX agent_issue_agent_idx ON agent_issue (agent, created_at DESC);
CREATE INDEX agent_issue_state_source_idx ON agent_issue (state, source);
CREATE INDEX agent_issue_last_detected_idx ON agent_issue (last_detected_at);
CREATE INDEX agent_issue_created_idx ON agent_issue (created_at);

-- What each retention purge removed.
CREATE TABLE agent_issue_purge (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ran_at     timestamptz NOT NULL,
    policy     varchar(32) NOT NULL,
    cutoff     timestamptz NOT NULL,
    removed    integer     NOT NULL
);

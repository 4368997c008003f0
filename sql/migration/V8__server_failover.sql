-- S2: what each server manages, the sessions it holds, its outages and failovers, and the
-- forwarding chains of management servers (S3).

-- Sites and their scheduled jobs, each managed by one server. A failover moves them to the
-- standby, except gathering jobs, which stay with the server that collects from its own sources.
CREATE TABLE site (
    name       estate_name PRIMARY KEY,
    managed_by estate_name NOT NULL REFERENCES server (name),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX site_managed_by_idx ON site (managed_by);

CREATE TABLE server_job (
    name       estate_name PRIMARY KEY,
    kind       varchar(32) NOT NULL CHECK (kind ~ '^[a-z][a-z0-9-]{0,31}$'),
    site       estate_name REFERENCES site (name),
    managed_by estate_name NOT NULL REFERENCES server (name),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX server_job_managed_by_idx ON server_job (managed_by);

-- Sessions (running job executions) a server holds; jobs of other servers may wait on them.
-- Closing a session sets closed_at; rows are kept for the record.
CREATE TABLE server_session (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    server       estate_name NOT NULL REFERENCES server (name),
    job          estate_name,
    opened_at    timestamptz NOT NULL,
    closed_at    timestamptz,
    closed_reason varchar(200)
);
CREATE INDEX server_session_open_idx ON server_session (server) WHERE closed_at IS NULL;

-- One row per outage the detector acted on. An outage starts when the last ping plus the
-- unresponsive period passes; UNIQUE (server, outage_start) is what keeps one failover per
-- outage when several nodes run the detector at once.
CREATE TABLE server_outage (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    server              estate_name NOT NULL REFERENCES server (name),
    outage_start        timestamptz NOT NULL,
    last_ping_at        timestamptz,
    detected_at         timestamptz NOT NULL,
    standby             estate_name REFERENCES server (name),
    state               varchar(32) NOT NULL CHECK (state IN
        ('failing-over', 'awaiting-return', 'back-online', 'failed-back', 'kept-on-standby', 'no-standby')),
    sessions_closed     integer     NOT NULL DEFAULT 0,
    process_instance_id varchar(64),
    back_online_at      timestamptz,
    ended_at            timestamptz,
    UNIQUE (server, outage_start)
);
CREATE INDEX server_outage_server_idx ON server_outage (server, detected_at DESC);
CREATE INDEX server_outage_awaiting_idx ON server_outage (server) WHERE state = 'awaiting-return';

-- What a failover moved, so that a failback moves back exactly that and a retried step moves nothing twice.
CREATE TABLE server_failover_move (
    outage_id   bigint      NOT NULL REFERENCES server_outage (id) ON DELETE CASCADE,
    item_kind   varchar(8)  NOT NULL CHECK (item_kind IN ('site', 'job', 'agent')),
    item        estate_name NOT NULL,
    from_server estate_name NOT NULL,
    to_server   estate_name NOT NULL,
    moved_back  boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (outage_id, item_kind, item)
);

-- Ordered chain of top-tier targets a management server forwards alerts to; position 0 first.
CREATE TABLE server_forwarding_chain (
    server   estate_name NOT NULL REFERENCES server (name) ON DELETE CASCADE,
    position integer     NOT NULL CHECK (position >= 0),
    target   estate_name NOT NULL REFERENCES server (name),
    PRIMARY KEY (server, position),
    UNIQUE (server, target),
    CHECK (target <> server)
);

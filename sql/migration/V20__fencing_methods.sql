-- Fencing without the old primary's help (issue 17): the methods a fence tries per database, in
-- order, and every attempt of a fence or unfence with its evidence.

-- The methods registered for a database (PUT /api/databases/{name}/fencing), tried in position
-- order. A database without a row is fenced as before: 'sql' alone.
--   sql      the orchestrator fences the database itself (it must answer)
--   agent    an HTTP fencing agent (STONITH: power, VM stop, firewall, storage detach) at url, with
--            HTTP Basic credentials username / the environment variable password_env
--   writers  every consumer bound to the database confirms, through its reconnect callout, that it
--            dropped its connections and writes to the new primary; only_writers is the DBA's
--            declaration that those consumers are the database's only writers
CREATE TABLE fencing_method (
    database     estate_name   NOT NULL REFERENCES database_endpoint (name) ON DELETE CASCADE,
    position     integer       NOT NULL CHECK (position BETWEEN 0 AND 9),
    kind         varchar(16)   NOT NULL CHECK (kind IN ('sql', 'agent', 'writers')),
    url          varchar(1024) CHECK (url IS NULL OR url ~ '^https?://'),
    username     varchar(128),
    password_env varchar(128),
    timeout_ms   integer       CHECK (timeout_ms IS NULL OR timeout_ms BETWEEN 100 AND 60000),
    only_writers boolean,
    updated_at   timestamptz   NOT NULL,
    updated_by   varchar(128)  NOT NULL,
    PRIMARY KEY (database, position),
    CHECK ((kind = 'agent') = (url IS NOT NULL)),
    CHECK (kind <> 'agent' OR (username IS NOT NULL AND password_env IS NOT NULL AND timeout_ms IS NOT NULL)),
    CHECK (kind <> 'writers' OR only_writers)
);
CREATE UNIQUE INDEX fencing_method_once ON fencing_method (database, kind) WHERE kind IN ('sql', 'writers');

-- Each method a fence (or unfence) tried for an operation, with what it answered. An agent's
-- address and credential names are kept with its attempt, so the restoration's unfence calls the
-- agent that fenced even if the registration changed since. The password itself is never stored.
CREATE TABLE fence_attempt (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operation_id     bigint       NOT NULL REFERENCES continuity_operation (id),
    database         estate_name  NOT NULL,
    action           varchar(8)   NOT NULL CHECK (action IN ('fence', 'unfence')),
    kind             varchar(16)  NOT NULL CHECK (kind IN ('sql', 'agent', 'writers')),
    position         integer,
    outcome          varchar(16)  NOT NULL CHECK (outcome IN ('fenced', 'not-fenced', 'pending', 'unfenced', 'failed')),
    detail           text         NOT NULL,
    agent_method     varchar(128),
    evidence         text,
    url              varchar(1024),
    username         varchar(128),
    password_env     varchar(128),
    timeout_ms       integer,
    attempted_at     timestamptz  NOT NULL
);
CREATE INDEX fence_attempt_operation_idx ON fence_attempt (operation_id, id);

-- Which method confirmed the fence of a failover, and whether the 'writers' method is still to be
-- evaluated (after the consumers were told to reconnect).
ALTER TABLE continuity_operation
    ADD COLUMN fenced_by             varchar(16) CHECK (fenced_by IN ('sql', 'agent', 'writers')),
    ADD COLUMN fence_writers_pending boolean NOT NULL DEFAULT false;

-- Issue 14 point 4: how the orchestrator calls a server, and what it told management servers.
--
-- A consumer is told to reconnect at reconnect_url (V11); a management server is told at
-- assignment_url which sites and jobs it runs after a failover (as the standby) or a failback
-- (as the server that is back). Both calls authenticate with HTTP Basic as callout_username,
-- with the password read at each call from the environment variable callout_password_env:
-- only the variable's name is stored.
ALTER TABLE server
    ADD COLUMN assignment_url varchar(1024)
        CHECK (assignment_url IS NULL OR assignment_url ~ '^https?://'),
    ADD COLUMN callout_username varchar(128),
    ADD COLUMN callout_password_env varchar(128)
        CHECK (callout_password_env IS NULL OR callout_password_env ~ '^[A-Za-z_][A-Za-z0-9_]{0,127}$'),
    ADD CONSTRAINT server_callout_auth_complete
        CHECK ((callout_username IS NULL) = (callout_password_env IS NULL));

-- One row per outage and direction: what the management server was told and whether it answered.
-- attempts counts the calls; the step calls again (engine retries) until told or out of tries.
CREATE TABLE server_failover_callout (
    outage_id       bigint       NOT NULL REFERENCES server_outage (id) ON DELETE CASCADE,
    direction       varchar(16)  NOT NULL CHECK (direction IN ('failover', 'failback')),
    server          estate_name  NOT NULL,
    outcome         varchar(16)  NOT NULL CHECK (outcome IN ('told', 'not-told', 'no-address')),
    sites           integer      NOT NULL,
    jobs            integer      NOT NULL,
    attempts        integer      NOT NULL DEFAULT 1,
    detail          varchar(1000),
    last_attempt_at timestamptz  NOT NULL,
    PRIMARY KEY (outage_id, direction)
);

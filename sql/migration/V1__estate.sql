-- The estate: what the orchestrator knows about the systems it protects.
-- Names follow the API rule: 1-128 characters of letters, digits, '.', '_' and '-'.

CREATE DOMAIN estate_name AS varchar(128)
    CHECK (VALUE ~ '^[A-Za-z0-9._-]{1,128}$');

-- Target databases the orchestrator connects to. Credentials never live here:
-- password_env names the environment variable that holds the password.
CREATE TABLE database_endpoint (
    name         estate_name PRIMARY KEY,
    jdbc_url     varchar(1024) NOT NULL CHECK (jdbc_url LIKE 'jdbc:postgresql://%'),
    username     varchar(128)  NOT NULL,
    password_env varchar(128)  CHECK (password_env ~ '^[A-Za-z_][A-Za-z0-9_]{0,127}$'),
    role         varchar(16)   NOT NULL CHECK (role IN ('primary', 'failover')),
    paired_with  estate_name   CHECK (paired_with <> name),
    created_at   timestamptz   NOT NULL DEFAULT now(),
    updated_at   timestamptz   NOT NULL DEFAULT now()
);

-- Servers of the monitored estate (management servers, collectors, gateways, top tier).
CREATE TABLE server (
    name                        estate_name PRIMARY KEY,
    kind                        varchar(32) NOT NULL
        CHECK (kind IN ('management', 'collector', 'gateway', 'top-tier')),
    site                        estate_name,
    standby                     estate_name REFERENCES server (name),
    unresponsive_period_seconds integer     NOT NULL DEFAULT 180
        CHECK (unresponsive_period_seconds BETWEEN 1 AND 86400),
    last_ping_at                timestamptz,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    CHECK (standby <> name)
);

-- Agents (MID servers) report to a chain of management servers.
CREATE TABLE agent (
    name              estate_name PRIMARY KEY,
    instance          estate_name  NOT NULL,
    username          varchar(128) NOT NULL,
    status            varchar(8)   NOT NULL CHECK (status IN ('Up', 'Down')),
    registration      varchar(16)  NOT NULL CHECK (registration IN ('automatic', 'manual')),
    managed_by        estate_name REFERENCES server (name),
    status_changed_at timestamptz  NOT NULL DEFAULT now(),
    created_at        timestamptz  NOT NULL DEFAULT now(),
    updated_at        timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX agent_instance_created_idx ON agent (instance, created_at);
CREATE INDEX agent_managed_by_idx ON agent (managed_by);

-- Ordered failover chain of an agent: position 0 is its primary management server.
CREATE TABLE agent_chain (
    agent    estate_name NOT NULL REFERENCES agent (name) ON DELETE CASCADE,
    position integer     NOT NULL CHECK (position >= 0),
    server   estate_name NOT NULL REFERENCES server (name),
    PRIMARY KEY (agent, position),
    UNIQUE (agent, server)
);

-- Which database each management server (consumer) writes to now.
CREATE TABLE binding (
    consumer   estate_name PRIMARY KEY REFERENCES server (name),
    database   estate_name NOT NULL REFERENCES database_endpoint (name),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX binding_database_idx ON binding (database);

-- Hot standby hub pairs. Configuration (primary, secondary) and operation (acting hub)
-- are separate columns; a single acting_hub column makes two acting hubs impossible.
CREATE TABLE hub_pair (
    name                     estate_name PRIMARY KEY,
    primary_hub              estate_name NOT NULL,
    secondary_hub            estate_name NOT NULL,
    acting_hub               estate_name,
    primary_last_heartbeat   timestamptz,
    secondary_last_heartbeat timestamptz,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    CHECK (primary_hub <> secondary_hub),
    CHECK (acting_hub IS NULL OR acting_hub IN (primary_hub, secondary_hub))
);

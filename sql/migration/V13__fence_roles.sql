-- Fencing that holds (issue #12): the roles a database's consumers log in as, and what each
-- fence changed on its database so the unfence can undo exactly that.

-- The roles the consumers of a database log in as. The fence revokes CONNECT from them (and from
-- PUBLIC), because the read-only default alone is undone by any client's SET TRANSACTION READ WRITE.
ALTER TABLE database_endpoint ADD COLUMN consumer_roles text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(consumer_roles) <= 100
           AND array_position(consumer_roles, NULL) IS NULL
           AND array_to_string(consumer_roles, ' ') ~ '^([A-Za-z0-9_]{1,63}( |$))*$');

-- The fence an operation put on the database its consumers left (the old primary of a failover,
-- the failover database of a restoration), recorded before anything changes on the target, and
-- when and by which operation it was lifted.
ALTER TABLE continuity_operation
    ADD COLUMN fenced_database          estate_name,
    ADD COLUMN fence_recorded_at        timestamptz,
    -- pg_database.datacl as text before the fence; NULL with fence_recorded_at set: default privileges
    ADD COLUMN fence_acl_before         text,
    -- grantees whose CONNECT the fence revoked and the unfence grants back ('PUBLIC' stands for PUBLIC)
    ADD COLUMN fence_revoked            text[],
    -- the orchestrator's own target user, granted CONNECT by the fence because it held none of its own
    ADD COLUMN fence_granted_self       varchar(63),
    ADD COLUMN fenced_at                timestamptz,
    ADD COLUMN unfenced_at              timestamptz,
    ADD COLUMN unfenced_by_operation_id bigint REFERENCES continuity_operation (id),
    ADD COLUMN unfence_detail           text;

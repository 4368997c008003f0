package dev.sco.orchestrator.dbfailover;

import java.time.Instant;
import java.util.Optional;

import dev.sco.orchestrator.estate.DatabaseEndpointRepository;
import dev.sco.orchestrator.platform.continuity.PairRoles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The roles the databases of a pair act in now ({@code database_endpoint.acting_role}), moved only
 * by continuity operations: a completed failover makes its failover database the acting primary
 * and the old primary {@code failed}; a restoration makes it {@code restoring}, and its reinstall
 * of the sync (consumers verified on the primary, failover database copied whole) puts the roles
 * back. Every change is kept in {@code database_role_change} by a trigger (V15).
 * <p>
 * The roles are estate data, written through the estate's repository; the writes join the
 * caller's transaction (an engine job), so a role moves together with the step that moved it, or
 * not at all.
 */
@Component
class DatabaseRoles implements PairRoles {

    static final String PRIMARY = "primary";
    static final String STANDBY = "standby";
    static final String FAILED = "failed";
    static final String RESTORING = "restoring";

    private static final Logger log = LoggerFactory.getLogger(DatabaseRoles.class);

    private final JdbcClient jdbc;
    private final DatabaseEndpointRepository endpoints;

    DatabaseRoles(JdbcClient jdbc, DatabaseEndpointRepository endpoints) {
        this.jdbc = jdbc;
        this.endpoints = endpoints;
    }

    /** The acting role of one database, since when, and the operation that set it. */
    record Acting(String database, String role, Instant since, Long operationId, String reason) {
    }

    Optional<Acting> of(String database) {
        return jdbc.sql("""
                        select name, acting_role, role_since, role_operation_id, role_reason
                          from database_endpoint where name = ?""")
                .param(database).query((rs, i) -> new Acting(rs.getString(1), rs.getString(2),
                        rs.getTimestamp(3).toInstant(), (Long) rs.getObject(4), rs.getString(5)))
                .optional();
    }

    /**
     * As {@link #of}, holding a share lock on the endpoint row until the transaction ends: a request
     * that reads "primary" here cannot interleave with the end of a failover that makes it "failed"
     * (that update waits, or this read waits and sees the new role).
     */
    Optional<String> lockedRole(String database) {
        return jdbc.sql("select acting_role from database_endpoint where name = ? for share").param(database)
                .query(String.class).optional();
    }

    /**
     * As {@link #lockedRole}, for a transaction that moves the role afterwards (a restoration
     * request): an update lock, so two requests at once queue here instead of both holding a share
     * lock and deadlocking on the update.
     */
    Optional<String> lockedRoleForUpdate(String database) {
        return jdbc.sql("select acting_role from database_endpoint where name = ? for update").param(database)
                .query(String.class).optional();
    }

    /**
     * A failover completed (consumers repointed): its failover database is the acting primary and
     * the old primary is failed. Idempotent: a retried step changes nothing twice.
     */
    void failedOver(ContinuityOperation op, String outcome, Instant at) {
        move(op.failoverDatabase(), PRIMARY, op.id(), "failover " + op.id() + " of " + op.database()
                + " ended " + outcome + ": consumers repointed here", at);
        move(op.database(), FAILED, op.id(), "failover " + op.id() + " moved its consumers to "
                + op.failoverDatabase() + "; probed only for its return", at);
    }

    /** A restoration of a failed primary was requested; false when the database is not failed. */
    boolean restoring(long restorationId, String database, Instant at) {
        return endpoints.moveActingRole(database, RESTORING, FAILED, restorationId,
                "restoration " + restorationId + " requested", at);
    }

    /**
     * The restoration brought the consumers back to the primary and made the failover database a
     * sync target holding a full copy: the registered roles again. Both move in one transaction
     * (the caller's when it has one).
     */
    @Transactional
    public void restored(ContinuityOperation restoration, Instant at) {
        move(restoration.database(), PRIMARY, restoration.id(), "restoration " + restoration.id()
                + ": consumers verified here, sync reinstalled", at);
        move(restoration.failoverDatabase(), STANDBY, restoration.id(), "restoration " + restoration.id()
                + ": made a sync target again and copied whole from " + restoration.database(), at);
    }

    private void move(String database, String role, long operationId, String reason, Instant at) {
        if (endpoints.moveActingRole(database, role, null, operationId, reason, at)) {
            log.warn("Database {} now acts as {}: {}", database, role, reason);
        }
    }

    @Override
    public Optional<String> syncRefusal(String primary) {
        Optional<Acting> own = of(primary);
        if (own.isEmpty()) {
            return Optional.empty();
        }
        Acting p = own.get();
        String partner = jdbc.sql("select paired_with from database_endpoint where name = ?").param(primary)
                .query(String.class).optional().orElse(null);
        Optional<Acting> other = partner == null ? Optional.empty() : of(partner);
        if (FAILED.equals(p.role())) {
            return Optional.of("'" + primary + "' is failed since " + p.since() + " (" + p.reason() + "); "
                    + partner + " is the acting primary and there is no standby to copy to: restore " + primary
                    + " first (POST /api/restorations)");
        }
        if (RESTORING.equals(p.role())) {
            return Optional.of("'" + primary + "' is being restored since " + p.since() + " (" + p.reason()
                    + "); the restoration copies the pair itself and sync resumes after it");
        }
        if (!PRIMARY.equals(p.role())) {
            return Optional.of("'" + primary + "' acts as " + p.role() + " since " + p.since() + ", not as primary");
        }
        if (other.isPresent() && !STANDBY.equals(other.get().role())) {
            return Optional.of("its failover database '" + partner + "' acts as " + other.get().role() + " since "
                    + other.get().since() + ", not as a standby");
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> tableChangeRefusal(String primary) {
        // A request share-locks this row before it inserts its operation: holding it for update
        // until the caller's commit keeps a new operation from starting on the old tables.
        jdbc.sql("select name from database_endpoint where name = ? for update").param(primary)
                .query(String.class).optional();
        Optional<String> running = jdbc.sql("""
                        select kind || ' ' || id || case when kind = 'failover' then ' (' || mode || ')' else '' end
                          from continuity_operation where database = ? and ended_at is null
                         order by id limit 1""")
                .param(primary).query(String.class).optional();
        if (running.isPresent()) {
            return Optional.of("the " + running.get() + " of '" + primary + "' is running");
        }
        return syncRefusal(primary);
    }
}

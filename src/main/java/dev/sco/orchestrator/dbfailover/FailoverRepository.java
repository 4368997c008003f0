package dev.sco.orchestrator.dbfailover;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.sco.orchestrator.estate.BindingRepository;
import dev.sco.orchestrator.platform.target.ProbeClassification;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Continuity operations. The bindings a failover moves are the estate's: they are written through
 * its repository.
 */
@Repository
class FailoverRepository {

    private final JdbcClient jdbc;
    private final BindingRepository bindings;

    FailoverRepository(JdbcClient jdbc, BindingRepository bindings) {
        this.jdbc = jdbc;
        this.bindings = bindings;
    }

    /** Inserts a running failover; empty when one is already running for the database. */
    Optional<Long> insertFailover(String database, String failoverDatabase, String mode, String requestedBy,
                                  String reason, String ticket, Instant at) {
        // A concurrent request for the same database waits on the index entry, then does nothing.
        return jdbc.sql("""
                insert into continuity_operation (kind, mode, database, failover_database, requested_by, reason,
                                                  ticket, requested_at, state)
                values ('failover', ?, ?, ?, ?, ?, ?, ?, 'requested')
                on conflict (database) where kind = 'failover' and mode <> 'drill' and ended_at is null do nothing
                returning id""")
                .params(mode, database, failoverDatabase, requestedBy, reason, ticket, ts(at))
                .query(Long.class).optional();
    }

    Optional<ContinuityOperation> runningFailover(String database) {
        return jdbc.sql("select * from continuity_operation where database = ? and kind = 'failover' "
                        + "and mode <> 'drill' and ended_at is null")
                .param(database).query(FailoverRepository::operation).optional();
    }

    Optional<ContinuityOperation> find(long id) {
        return jdbc.sql("select * from continuity_operation where id = ?").param(id)
                .query(FailoverRepository::operation).optional();
    }

    /** The operation a process instance works on: the one the orchestrator bound to it at its start. */
    Optional<ContinuityOperation> findByProcess(String processInstanceId) {
        return jdbc.sql("select * from continuity_operation where process_instance_id = ?").param(processInstanceId)
                .query(FailoverRepository::operation).optional();
    }

    /** The restore path the repair decided ('repoint' or 'copy-back'); empty while the primary is not repaired. */
    Optional<String> restorePath(long id) {
        return jdbc.sql("select restore_path from continuity_operation where id = ? and repaired_at is not null")
                .param(id).query(String.class).optional();
    }

    /** The old primary is fenced, or a DBA took responsibility for it not being fenced. */
    boolean fenceSettled(long id) {
        return jdbc.sql("select coalesce(fenced, false) or unfenced_acknowledged_by is not null "
                        + "from continuity_operation where id = ?")
                .param(id).query(Boolean.class).optional().orElse(false);
    }

    List<ContinuityOperation> recent(int limit) {
        return jdbc.sql("select * from continuity_operation order by requested_at desc, id desc limit ?").param(limit)
                .query(FailoverRepository::operation).list();
    }

    /**
     * Operations of {@code kind} requested in [{@code from}, {@code to}), drills left out (a drill
     * repairs nothing), of one pair when {@code database} is given, oldest first.
     */
    List<ContinuityOperation> requestedBetween(String kind, java.time.Instant from, java.time.Instant to,
                                               String database, int limit) {
        return jdbc.sql("""
                        select * from continuity_operation
                         where kind = :kind and mode <> 'drill' and requested_at >= :from and requested_at < :to
                           and (cast(:database as text) is null or database = :database)
                         order by requested_at, id limit :limit""")
                .param("kind", kind).param("from", java.sql.Timestamp.from(from)).param("to", java.sql.Timestamp.from(to))
                .param("database", database).param("limit", limit)
                .query(FailoverRepository::operation).list();
    }

    void setProcess(long id, String processInstanceId) {
        jdbc.sql("update continuity_operation set process_instance_id = ? where id = ?").params(processInstanceId, id)
                .update();
    }

    void recordPreFlight(long id, Long dataLossWindowMs, Instant lastCheckpoint) {
        jdbc.sql("update continuity_operation set data_loss_window_ms = ?, last_checkpoint_at = ? where id = ?")
                .params(dataLossWindowMs, lastCheckpoint == null ? null : ts(lastCheckpoint), id).update();
    }

    void recordApproval(long id, String approvedBy, Instant at, boolean approved) {
        jdbc.sql("""
                update continuity_operation set approved_by = ?, approved_at = ?, state = ?,
                       ended_at = case when ? then ended_at else ? end
                 where id = ?""")
                .params(approvedBy, ts(at), approved ? ContinuityOperation.APPROVED : ContinuityOperation.DECLINED,
                        approved, ts(at), id)
                .update();
    }

    void recordFence(long id, boolean fenced, String detail) {
        jdbc.sql("update continuity_operation set fenced = ?, fence_detail = ?, state = 'switching' where id = ?")
                .params(fenced, detail, id).update();
    }

    void recordUnfencedAcknowledged(long id, String user) {
        jdbc.sql("update continuity_operation set unfenced_acknowledged_by = ? where id = ?").params(user, id).update();
    }

    void recordVerification(long id, List<String> moved, List<String> notMoved, Instant verifiedAt) {
        jdbc.sql("""
                update continuity_operation set consumers_moved = ?::text[], consumers_not_moved = ?::text[],
                       verified_at = coalesce(verified_at, ?)
                 where id = ?""")
                .params(moved.toArray(String[]::new), notMoved.toArray(String[]::new),
                        verifiedAt == null ? null : ts(verifiedAt), id)
                .update();
    }

    void end(long id, String state, Instant at, String evidence) {
        jdbc.sql("update continuity_operation set state = ?, ended_at = coalesce(ended_at, ?), "
                        + "evidence = coalesce(?, evidence) where id = ?")
                .params(state, ts(at), evidence, id).update();
    }

    /** Binds every consumer of {@code from} to {@code to}; returns the consumers moved. */
    List<String> rebind(String from, String to, Instant at) {
        return bindings.rebindAll(from, to, at);
    }

    List<String> consumersOf(String database) {
        return jdbc.sql("select consumer from binding where database = ? order by consumer").param(database)
                .query(String.class).list();
    }

    /** A consumer's reconnect address and the credentials its callout carries (both null: none). */
    record Callout(String consumer, String url, String username, String passwordEnv) {

        Callout(String consumer, String url) {
            this(consumer, url, null, null);
        }
    }

    List<Callout> reconnectCallouts(List<String> consumers) {
        return jdbc.sql("""
                        select name, reconnect_url, callout_username, callout_password_env from server
                        where name = any(?::text[]) and reconnect_url is not null""")
                .param(consumers.toArray(String[]::new))
                .query((rs, i) -> new Callout(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
    }

    /**
     * Records a probe; returns the consecutive unreachable probes after it. Only an unreachable
     * probe counts; a refused one resets the count like a reachable one, because a server that
     * answers (even to refuse) is up.
     */
    int recordProbe(String database, ProbeClassification classification, String error, long latencyMs, Instant at) {
        boolean counts = classification == ProbeClassification.UNREACHABLE;
        return jdbc.sql("""
                insert into database_probe_state as p (database, consecutive_failures, last_probe_at, last_error,
                                                       last_classification, last_latency_ms)
                values (?, case when ? then 1 else 0 end, ?, ?, ?, ?)
                on conflict (database) do update
                   set consecutive_failures = case when ? then p.consecutive_failures + 1 else 0 end,
                       last_probe_at = excluded.last_probe_at, last_error = excluded.last_error,
                       last_classification = excluded.last_classification,
                       last_latency_ms = excluded.last_latency_ms
                returning consecutive_failures""")
                .params(database, counts, ts(at), error, classification.code(), latencyMs, counts)
                .query(Integer.class).single();
    }

    /** Records a probe of a failover partner: shown in health, never counted toward a failover. */
    void recordPartnerProbe(String database, ProbeClassification classification, String error, long latencyMs,
                            Instant at) {
        jdbc.sql("""
                insert into database_probe_state as p (database, consecutive_failures, last_probe_at, last_error,
                                                       last_classification, last_latency_ms)
                values (?, 0, ?, ?, ?, ?)
                on conflict (database) do update
                   set consecutive_failures = 0, last_probe_at = excluded.last_probe_at,
                       last_error = excluded.last_error, last_classification = excluded.last_classification,
                       last_latency_ms = excluded.last_latency_ms""")
                .params(database, ts(at), error, classification.code(), latencyMs).update();
    }

    /**
     * Records what the return watch of a failed primary reported for the role period that began at
     * {@code roleSince}; true when that differs from what it reported before (a decision is due).
     */
    boolean recordReturnReport(String database, ProbeClassification classification, Instant roleSince) {
        return jdbc.sql("""
                update database_probe_state set return_reported = ?, return_reported_for = ?
                 where database = ?
                   and (return_reported is distinct from ? or return_reported_for is distinct from ?)""")
                .params(classification.code(), ts(roleSince), database, classification.code(), ts(roleSince))
                .update() == 1;
    }

    double refusedProbes() {
        return jdbc.sql("select count(*) from database_probe_state where last_classification = 'refused'")
                .query(Long.class).single();
    }

    int probeFailures(String database) {
        return jdbc.sql("select consecutive_failures from database_probe_state where database = ?").param(database)
                .query(Integer.class).optional().orElse(0);
    }

    /** The roles the consumers of a database log in as (empty when none are registered). */
    List<String> consumerRoles(String database) {
        return jdbc.sql("select consumer_roles from database_endpoint where name = ?").param(database)
                .query((rs, i) -> strings(rs.getArray(1))).optional().orElse(List.of());
    }

    /** What a fence changed on its database, recorded before it ran. */
    record FenceRecord(String database, String aclBefore, List<String> revoked, String grantedSelf) {
        boolean revokedPublic() {
            return revoked.contains(Fencing.PUBLIC);
        }

        List<String> revokedRoles() {
            return revoked.stream().filter(r -> !r.equals(Fencing.PUBLIC)).toList();
        }
    }

    Optional<FenceRecord> fenceRecord(long id) {
        return jdbc.sql("""
                        select fenced_database, fence_acl_before, fence_revoked, fence_granted_self
                          from continuity_operation where id = ? and fence_recorded_at is not null""")
                .param(id)
                .query((rs, i) -> new FenceRecord(rs.getString(1), rs.getString(2), strings(rs.getArray(3)),
                        rs.getString(4)))
                .optional();
    }

    /** Records what the fence will change; only an operation's first attempt records (a retry finds the fence). */
    void recordFenceBefore(long id, String database, String aclBefore, List<String> revoked, String grantedSelf,
                           Instant at) {
        jdbc.sql("""
                update continuity_operation
                   set fenced_database = ?, fence_acl_before = ?, fence_revoked = ?::text[], fence_granted_self = ?,
                       fence_recorded_at = ?
                 where id = ? and fence_recorded_at is null""")
                .params(database, aclBefore, revoked.toArray(String[]::new), grantedSelf, ts(at), id).update();
    }

    void recordFenced(long id, Instant at) {
        jdbc.sql("update continuity_operation set fenced_at = coalesce(fenced_at, ?) where id = ?").params(ts(at), id)
                .update();
    }

    /** The outcome of a restoration's fence of the failover side (a failover's also moves its state). */
    void recordFenceOutcome(long id, boolean fenced, String detail) {
        jdbc.sql("update continuity_operation set fenced = ?, fence_detail = ? where id = ?").params(fenced, detail, id)
                .update();
    }

    void recordUnfence(long fenceOperationId, long byOperationId, Instant at, String detail) {
        jdbc.sql("""
                update continuity_operation set unfenced_at = ?, unfenced_by_operation_id = ?, unfence_detail = ?
                 where id = ?""")
                .params(ts(at), byOperationId, detail, fenceOperationId).update();
    }

    /** The last probe of a database, if the sensor has probed it. */
    Optional<ProbeState> probeState(String database) {
        return jdbc.sql("select * from database_probe_state where database = ?").param(database)
                .query(FailoverRepository::probeState).optional();
    }

    /** The last probe of every database the sensor has probed, by name. */
    List<ProbeState> probeStates() {
        return jdbc.sql("select * from database_probe_state order by database").query(FailoverRepository::probeState)
                .list();
    }

    private static ProbeState probeState(ResultSet rs, int row) throws SQLException {
        return new ProbeState(rs.getString("database"), rs.getInt("consecutive_failures"),
                instant(rs, "last_probe_at"), rs.getString("last_error"),
                ProbeClassification.valueOf(rs.getString("last_classification").toUpperCase()),
                nullableLong(rs, "last_latency_ms"));
    }

    /** One row of database_probe_state. */
    record ProbeState(String database, int consecutiveFailures, Instant lastProbeAt, String lastError,
                      ProbeClassification classification, Long latencyMs) {
    }

    private static ContinuityOperation operation(ResultSet rs, int row) throws SQLException {
        return new ContinuityOperation(rs.getLong("id"), rs.getString("kind"), rs.getString("mode"),
                rs.getString("database"), rs.getString("failover_database"), rs.getString("requested_by"),
                rs.getString("reason"), rs.getString("ticket"), instant(rs, "requested_at"),
                rs.getString("process_instance_id"), rs.getString("state"), nullableLong(rs, "data_loss_window_ms"),
                instant(rs, "last_checkpoint_at"), rs.getString("approved_by"), instant(rs, "approved_at"),
                (Boolean) rs.getObject("fenced"), rs.getString("fence_detail"), instant(rs, "verified_at"),
                strings(rs.getArray("consumers_moved")), strings(rs.getArray("consumers_not_moved")),
                instant(rs, "ended_at"), nullableLong(rs, "alerts_on_failover"), rs.getString("evidence"));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }
}

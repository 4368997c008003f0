package dev.sco.orchestrator.dbfailover;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Drill schedules and drill evidence ({@code drill_schedule}, {@code drill_run}). */
@Repository
class DrillRunRepository {

    private static final String RUN_COLUMNS = """
            r.operation_id, r.database, r.failover_database, r.scheduled, o.state, o.process_instance_id,
            r.requested_at, r.checked_at, r.primary_reachable, r.failover_reachable, r.pre_flight_ok,
            r.pre_flight_ms, r.checks_ms, r.estimated_rto_ms, r.would_fence, r.fencing_methods,
            r.consumers_to_move, r.consumers_on_primary, r.problems""";

    private final JdbcClient jdbc;

    DrillRunRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Schedule(String database, String cron, String timeZone, String updatedBy, Instant updatedAt) {
    }

    /** Creates or replaces the pair's schedule; true when it was created. */
    boolean putSchedule(String database, String cron, String timeZone, String user, Instant now) {
        return jdbc.sql("""
                        insert into drill_schedule (database, cron, time_zone, updated_by, updated_at)
                        values (?, ?, ?, ?, ?)
                        on conflict (database) do update set cron = excluded.cron, time_zone = excluded.time_zone,
                            updated_by = excluded.updated_by, updated_at = excluded.updated_at
                        returning (xmax = 0)""")
                .params(database, cron, timeZone, user, Timestamp.from(now)).query(Boolean.class).single();
    }

    boolean deleteSchedule(String database) {
        return jdbc.sql("delete from drill_schedule where database = ?").param(database).update() > 0;
    }

    Optional<Schedule> schedule(String database) {
        return jdbc.sql("select * from drill_schedule where database = ?").param(database)
                .query(DrillRunRepository::schedule).optional();
    }

    List<Schedule> schedules() {
        return jdbc.sql("select * from drill_schedule order by database").query(DrillRunRepository::schedule).list();
    }

    /** The schedule asked for this drill: written in the transaction that requests it. */
    void recordScheduled(long operationId, String database, String failoverDatabase, Instant requestedAt) {
        jdbc.sql("""
                        insert into drill_run (operation_id, database, failover_database, scheduled, requested_at)
                        values (?, ?, ?, true, ?)""")
                .params(operationId, database, failoverDatabase, Timestamp.from(requestedAt)).update();
    }

    boolean scheduled(long operationId) {
        return jdbc.sql("select exists (select 1 from drill_run where operation_id = ? and scheduled)")
                .param(operationId).query(Boolean.class).single();
    }

    /** The drill's checks ran: its evidence (a drill requested by hand gets its row here). */
    void recordChecks(ContinuityOperation op, Instant checkedAt, boolean primaryReachable, boolean failoverReachable,
                      Boolean preFlightOk, Long preFlightMs, long checksMs, Long estimatedRtoMs, String wouldFence,
                      String fencingMethods, List<String> consumersToMove, List<String> consumersOnPrimary,
                      List<String> problems) {
        jdbc.sql("""
                        insert into drill_run (operation_id, database, failover_database, scheduled, requested_at,
                            checked_at, primary_reachable, failover_reachable, pre_flight_ok, pre_flight_ms, checks_ms,
                            estimated_rto_ms, would_fence, fencing_methods, consumers_to_move, consumers_on_primary,
                            problems)
                        values (:id, :database, :failover, false, :requestedAt, :checkedAt, :primary, :failoverOk,
                            :preFlightOk, :preFlightMs, :checksMs, :rto, :wouldFence, :methods, :toMove, :onPrimary,
                            :problems)
                        on conflict (operation_id) do update set checked_at = excluded.checked_at,
                            primary_reachable = excluded.primary_reachable,
                            failover_reachable = excluded.failover_reachable, pre_flight_ok = excluded.pre_flight_ok,
                            pre_flight_ms = excluded.pre_flight_ms, checks_ms = excluded.checks_ms,
                            estimated_rto_ms = excluded.estimated_rto_ms, would_fence = excluded.would_fence,
                            fencing_methods = excluded.fencing_methods, consumers_to_move = excluded.consumers_to_move,
                            consumers_on_primary = excluded.consumers_on_primary, problems = excluded.problems""")
                .param("id", op.id()).param("database", op.database()).param("failover", op.failoverDatabase())
                .param("requestedAt", Timestamp.from(op.requestedAt())).param("checkedAt", Timestamp.from(checkedAt))
                .param("primary", primaryReachable).param("failoverOk", failoverReachable)
                .param("preFlightOk", preFlightOk).param("preFlightMs", preFlightMs).param("checksMs", checksMs)
                .param("rto", estimatedRtoMs).param("wouldFence", wouldFence).param("methods", fencingMethods)
                .param("toMove", consumersToMove.toArray(String[]::new))
                .param("onPrimary", consumersOnPrimary.toArray(String[]::new))
                .param("problems", problems.toArray(String[]::new)).update();
    }

    /** Drills newest first, of one database or of all; at most {@code limit}. */
    List<DrillRun> runs(String database, Instant since, int limit) {
        return jdbc.sql("select " + RUN_COLUMNS + " from drill_run r join continuity_operation o on o.id = r.operation_id"
                        + " where (cast(:database as text) is null or r.database = :database)"
                        + " and r.requested_at >= :since order by r.requested_at desc, r.operation_id desc limit :limit")
                .param("database", database).param("since", Timestamp.from(since)).param("limit", limit)
                .query(DrillRunRepository::run).list();
    }

    Optional<DrillRun> run(long operationId) {
        return jdbc.sql("select " + RUN_COLUMNS + " from drill_run r join continuity_operation o on o.id = r.operation_id"
                        + " where r.operation_id = ?").param(operationId).query(DrillRunRepository::run).optional();
    }

    private static Schedule schedule(ResultSet rs, int n) throws SQLException {
        return new Schedule(rs.getString("database"), rs.getString("cron"), rs.getString("time_zone"),
                rs.getString("updated_by"), rs.getTimestamp("updated_at").toInstant());
    }

    private static DrillRun run(ResultSet rs, int n) throws SQLException {
        return new DrillRun(rs.getLong("operation_id"), rs.getString("database"), rs.getString("failover_database"),
                rs.getBoolean("scheduled"), rs.getString("state"), rs.getString("process_instance_id"),
                instant(rs, "requested_at"), instant(rs, "checked_at"), bool(rs, "primary_reachable"),
                bool(rs, "failover_reachable"), bool(rs, "pre_flight_ok"), number(rs, "pre_flight_ms"),
                number(rs, "checks_ms"), number(rs, "estimated_rto_ms"), rs.getString("would_fence"),
                rs.getString("fencing_methods"), list(rs.getArray("consumers_to_move")),
                list(rs.getArray("consumers_on_primary")), list(rs.getArray("problems")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Boolean bool(ResultSet rs, String column) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? null : value;
    }

    private static Long number(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static List<String> list(Array array) throws SQLException {
        return array == null ? null : Arrays.asList((String[]) array.getArray());
    }
}

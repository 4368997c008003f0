package dev.sco.orchestrator.console;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The console's reads of the orchestrator's own tables. Every query is bounded: counts are
 * aggregated in the database and lists carry a limit, so the answers stay small however large the
 * estate. Nothing here reads a target database or a secret (no JDBC URL, user or password variable).
 */
@Repository
class ConsoleRepository {

    /** A server is Up when its last ping is at most its unresponsive period old (as {@code ServerStatus}). */
    private static final String UP = "(s.last_ping_at is not null and s.last_ping_at >= :now - s.unresponsive_period_seconds * interval '1 second')";

    private final JdbcClient jdbc;

    ConsoleRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Count(String key, long total, long up) {
    }

    record ServerCounts(long total, long up, long down, List<Count> byKind) {
    }

    ServerCounts serverCounts(Instant now) {
        List<Count> byKind = jdbc.sql("select s.kind, count(*), count(*) filter (where " + UP + ") from server s "
                        + "group by s.kind order by s.kind")
                .param("now", ts(now))
                .query((rs, i) -> new Count(rs.getString(1), rs.getLong(2), rs.getLong(3))).list();
        long total = byKind.stream().mapToLong(Count::total).sum();
        long up = byKind.stream().mapToLong(Count::up).sum();
        return new ServerCounts(total, up, total - up, byKind);
    }

    record ServerRow(String name, String kind, String site, String standby, String status, Instant lastHeartbeat,
                     int unresponsivePeriodSeconds) {
    }

    /** One page of servers, Down first, then by name; {@code status} and {@code prefix} filter (null: all). */
    Page<ServerRow> servers(Instant now, String status, String prefix, int page, int size) {
        String where = " where (cast(:status as text) is null or (case when " + UP + " then 'Up' else 'Down' end) = :status)"
                + " and (cast(:prefix as text) is null or s.name like :prefix || '%')";
        long total = jdbc.sql("select count(*) from server s" + where)
                .param("now", ts(now)).param("status", status).param("prefix", likeLiteral(prefix))
                .query(Long.class).single();
        List<ServerRow> items = jdbc.sql("select s.name, s.kind, s.site, s.standby, s.last_ping_at, "
                        + "s.unresponsive_period_seconds, " + UP + " as up from server s" + where
                        + " order by up, s.name limit :size offset :offset")
                .param("now", ts(now)).param("status", status).param("prefix", likeLiteral(prefix))
                .param("size", size).param("offset", (long) page * size)
                .query((rs, i) -> new ServerRow(rs.getString("name"), rs.getString("kind"), rs.getString("site"),
                        rs.getString("standby"), rs.getBoolean("up") ? "Up" : "Down", instant(rs, "last_ping_at"),
                        rs.getInt("unresponsive_period_seconds")))
                .list();
        return new Page<>(page, size, total, items);
    }

    record HubRow(String name, String primaryHub, String secondaryHub, String actingHub, String standbyHub,
                  Instant primaryLastHeartbeat, Instant secondaryLastHeartbeat, int heartbeatTimeoutSeconds,
                  Instant standbySyncedAt) {
    }

    Page<HubRow> hubs(int page, int size) {
        long total = jdbc.sql("select count(*) from hub_pair").query(Long.class).single();
        List<HubRow> items = jdbc.sql("""
                        select name, primary_hub, secondary_hub, acting_hub,
                               case acting_hub when primary_hub then secondary_hub when secondary_hub then primary_hub end
                                   as standby_hub,
                               primary_last_heartbeat, secondary_last_heartbeat, heartbeat_timeout_seconds, standby_synced_at
                          from hub_pair order by name limit :size offset :offset""")
                .param("size", size).param("offset", (long) page * size)
                .query((rs, i) -> new HubRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), instant(rs, "primary_last_heartbeat"), instant(rs, "secondary_last_heartbeat"),
                        rs.getInt(8), instant(rs, "standby_synced_at")))
                .list();
        return new Page<>(page, size, total, items);
    }

    record Binding(String consumer, String database) {
    }

    record SyncState(boolean running, Instant runningSince, Instant stoppedAt, String stoppedReason,
                     int consecutiveFailures, Instant lastSuccessAt, Instant lastCheckpoint) {
    }

    record PairRow(String primary, String failover, String primaryRole, String failoverRole, Instant roleSince,
                   SyncState sync, Long dataLossWindowSeconds, long consumersOnPrimary, long consumersOnFailover,
                   List<Binding> bindings) {
    }

    /** Registered pairs (a primary with its failover database), with roles, sync state and bindings. */
    Page<PairRow> pairs(Instant now, int page, int size, int bindingsShown) {
        long total = jdbc.sql("select count(*) from database_endpoint where role = 'primary' and paired_with is not null")
                .query(Long.class).single();
        List<PairRow> items = jdbc.sql("""
                        select p.name, p.paired_with, p.acting_role, p.role_since, f.acting_role as failover_role,
                               s.running_run_id, s.running_since, s.stopped_at, s.stopped_reason,
                               coalesce(s.consecutive_failures, 0) as failures,
                               ls.ended_at as last_success_at, ls.checkpoint as last_checkpoint,
                               (select count(*) from binding b where b.database = p.name) as on_primary,
                               (select count(*) from binding b where b.database = p.paired_with) as on_failover,
                               (select array_agg(x.consumer || '=' || x.database order by x.consumer)
                                  from (select consumer, database from binding b
                                         where b.database in (p.name, p.paired_with)
                                         order by consumer limit :shown) x) as bindings
                          from database_endpoint p
                          left join database_endpoint f on f.name = p.paired_with
                          left join sync_state s on s.database = p.name
                          left join lateral (select r.ended_at, r.checkpoint from sync_run r
                                              where r.database = p.name and r.result = 'succeeded'
                                              order by r.id desc limit 1) ls on true
                         where p.role = 'primary' and p.paired_with is not null
                         order by p.name limit :size offset :offset""")
                .param("shown", bindingsShown).param("size", size).param("offset", (long) page * size)
                .query((rs, i) -> {
                    Instant checkpoint = instant(rs, "last_checkpoint");
                    SyncState sync = new SyncState(rs.getObject("running_run_id") != null, instant(rs, "running_since"),
                            instant(rs, "stopped_at"), rs.getString("stopped_reason"), rs.getInt("failures"),
                            instant(rs, "last_success_at"), checkpoint);
                    List<Binding> bindings = new ArrayList<>();
                    for (String pair : strings(rs, "bindings")) {
                        int eq = pair.indexOf('=');
                        bindings.add(new Binding(pair.substring(0, eq), pair.substring(eq + 1)));
                    }
                    return new PairRow(rs.getString("name"), rs.getString("paired_with"), rs.getString("acting_role"),
                            rs.getString("failover_role"), instant(rs, "role_since"), sync,
                            checkpoint == null ? null : Duration.between(checkpoint, now).toSeconds(),
                            rs.getLong("on_primary"), rs.getLong("on_failover"), bindings);
                })
                .list();
        return new Page<>(page, size, total, items);
    }

    long hubPairCount() {
        return jdbc.sql("select count(*) from hub_pair").query(Long.class).single();
    }

    long pairCount() {
        return jdbc.sql("select count(*) from database_endpoint where role = 'primary' and paired_with is not null")
                .query(Long.class).single();
    }

    record RunningOperation(String kind, String id, String subject, String mode, String state, String requestedBy,
                            Instant since, String processInstanceId) {
    }

    /** Failovers, restorations and drills not yet ended, and server outages still being handled. */
    List<RunningOperation> runningOperations(int limit) {
        List<RunningOperation> result = new ArrayList<>(jdbc.sql("""
                        select kind, id, database, failover_database, mode, state, requested_by, requested_at,
                               process_instance_id
                          from continuity_operation where ended_at is null order by requested_at desc limit :limit""")
                .param("limit", limit)
                .query((rs, i) -> new RunningOperation(rs.getString("kind"), String.valueOf(rs.getLong("id")),
                        rs.getString("database") + " → " + rs.getString("failover_database"), rs.getString("mode"),
                        rs.getString("state"), rs.getString("requested_by"), instant(rs, "requested_at"),
                        rs.getString("process_instance_id")))
                .list());
        result.addAll(jdbc.sql("""
                        select id, server, standby, state, detected_at, process_instance_id from server_outage
                         where ended_at is null and state in ('failing-over', 'awaiting-return', 'back-online')
                         order by detected_at desc limit :limit""")
                .param("limit", limit)
                .query((rs, i) -> new RunningOperation("server-failover", String.valueOf(rs.getLong("id")),
                        rs.getString("server") + (rs.getString("standby") == null ? "" : " → " + rs.getString("standby")),
                        null, rs.getString("state"), "heartbeat detector", instant(rs, "detected_at"),
                        rs.getString("process_instance_id")))
                .list());
        result.sort((a, b) -> b.since().compareTo(a.since()));
        return result.size() > limit ? result.subList(0, limit) : result;
    }

    long runningOperationCount() {
        return jdbc.sql("""
                select (select count(*) from continuity_operation where ended_at is null)
                     + (select count(*) from server_outage where ended_at is null
                          and state in ('failing-over', 'awaiting-return', 'back-online'))""").query(Long.class).single();
    }

    record PauseRow(long id, String targetKind, String targetName, String reason, String pausedBy, Instant pausedAt,
                    Instant pausedUntil, Instant endedAt, String reviewState) {
    }

    /** Active pauses and ended ones whose review is pending. */
    List<PauseRow> activePauses(int limit) {
        return jdbc.sql("""
                        select id, target_kind, target_name, reason, paused_by, paused_at, paused_until, ended_at,
                               review_state
                          from maintenance_pause where ended_at is null or review_state = 'pending'
                         order by paused_until limit :limit""")
                .param("limit", limit)
                .query((rs, i) -> new PauseRow(rs.getLong("id"), rs.getString("target_kind"),
                        rs.getString("target_name"), rs.getString("reason"), rs.getString("paused_by"),
                        instant(rs, "paused_at"), instant(rs, "paused_until"), instant(rs, "ended_at"),
                        rs.getString("review_state")))
                .list();
    }

    long activePauseCount() {
        return jdbc.sql("select count(*) from maintenance_pause where ended_at is null").query(Long.class).single();
    }

    record Point(Instant at, Long value) {
    }

    record Series(String name, List<Point> points) {
    }

    /**
     * Per pair, the data-loss window sampled {@code buckets + 1} times from {@code from} to {@code to}:
     * at each sample, its time minus the checkpoint of the latest successful run that had ended by
     * then (none yet: no value).
     */
    List<Series> dataLossWindows(Instant from, Instant to, int buckets, int maxPairs) {
        List<String> pairs = jdbc.sql("select name from database_endpoint where role = 'primary' and paired_with is not null "
                        + "order by name limit :limit").param("limit", maxPairs).query(String.class).list();
        long stepSeconds = Math.max(1, Duration.between(from, to).toSeconds() / buckets);
        List<Series> result = new ArrayList<>();
        for (String pair : pairs) {
            List<Point> points = jdbc.sql("""
                            select b.t, (select extract(epoch from b.t - r.checkpoint)::bigint from sync_run r
                                          where r.database = :db and r.result = 'succeeded' and r.ended_at <= b.t
                                          order by r.ended_at desc limit 1) as window_seconds
                              from (select :from + i * make_interval(secs => :step) as t
                                      from generate_series(0, :buckets) i) b
                             order by b.t""")
                    .param("db", pair).param("from", ts(from)).param("step", (double) stepSeconds)
                    .param("buckets", buckets)
                    .query((rs, i) -> new Point(instant(rs, "t"), (Long) rs.getObject("window_seconds", Long.class)))
                    .list();
            result.add(new Series(pair, points));
        }
        return result;
    }

    record SyncRun(long id, String database, String kind, Instant startedAt, Long durationSeconds, long rows,
                   String result) {
    }

    List<SyncRun> syncRuns(Instant from, int limit) {
        return jdbc.sql("""
                        select r.id, r.database, r.kind, r.started_at, r.ended_at, r.result,
                               coalesce(sum(t.rows_copied), 0) as rows
                          from (select * from sync_run where started_at >= :from order by id desc limit :limit) r
                          left join sync_task t on t.run_id = r.id
                         group by r.id, r.database, r.kind, r.started_at, r.ended_at, r.result
                         order by r.started_at""")
                .param("from", ts(from)).param("limit", limit)
                .query((rs, i) -> {
                    Instant started = instant(rs, "started_at");
                    Instant ended = instant(rs, "ended_at");
                    return new SyncRun(rs.getLong("id"), rs.getString("database"), rs.getString("kind"), started,
                            ended == null ? null : Duration.between(started, ended).toMillis() / 1000,
                            rs.getLong("rows"), rs.getString("result"));
                })
                .list();
    }

    record OperationSpan(String kind, String id, String subject, String mode, String state, Instant start,
                         Instant end, Long repairSeconds) {
    }

    /**
     * Failovers, restorations, drills and server outages that started in the range or are still
     * open, newest first. Time to repair: for a failover, until the failover database was verified
     * in service (or its end); for a restoration, until its end; for a server outage, from the
     * last heartbeat until the server was back or the outage ended.
     */
    List<OperationSpan> operations(Instant from, int limit) {
        List<OperationSpan> result = new ArrayList<>(jdbc.sql("""
                        select kind, id, database, failover_database, mode, state, requested_at, ended_at,
                               case when ended_at is null then null
                                    when kind = 'failover' then coalesce(verified_at, ended_at) else ended_at end as repaired
                          from continuity_operation where requested_at >= :from or ended_at is null
                         order by requested_at desc limit :limit""")
                .param("from", ts(from)).param("limit", limit)
                .query((rs, i) -> {
                    Instant start = instant(rs, "requested_at");
                    Instant repaired = instant(rs, "repaired");
                    return new OperationSpan(rs.getString("kind"), String.valueOf(rs.getLong("id")),
                            rs.getString("database"), rs.getString("mode"), rs.getString("state"), start,
                            instant(rs, "ended_at"), repaired == null ? null : Duration.between(start, repaired).toSeconds());
                })
                .list());
        result.addAll(jdbc.sql("""
                        select id, server, state, outage_start, coalesce(back_online_at, ended_at) as repaired, ended_at
                          from server_outage where outage_start >= :from or ended_at is null
                         order by outage_start desc limit :limit""")
                .param("from", ts(from)).param("limit", limit)
                .query((rs, i) -> {
                    Instant start = instant(rs, "outage_start");
                    Instant repaired = instant(rs, "repaired");
                    return new OperationSpan("server-outage", String.valueOf(rs.getLong("id")), rs.getString("server"),
                            null, rs.getString("state"), start, instant(rs, "ended_at"),
                            repaired == null ? null : Duration.between(start, repaired).toSeconds());
                })
                .list());
        result.sort((a, b) -> b.start().compareTo(a.start()));
        return result.size() > limit ? result.subList(0, limit) : result;
    }

    record WeekMttr(Instant week, long repairs, long mttrSeconds) {
    }

    /** Mean time to repair per ISO week (UTC) of real failovers, restorations and server outages; drills excluded. */
    List<WeekMttr> mttrPerWeek(Instant from) {
        return jdbc.sql("""
                        select week, count(*) as repairs, avg(seconds)::bigint as mttr from (
                            select date_trunc('week', requested_at at time zone 'UTC') as week,
                                   extract(epoch from (case when kind = 'failover' then coalesce(verified_at, ended_at)
                                                            else ended_at end) - requested_at) as seconds
                              from continuity_operation
                             where mode <> 'drill' and ended_at is not null and requested_at >= :from
                            union all
                            select date_trunc('week', outage_start at time zone 'UTC'),
                                   extract(epoch from coalesce(back_online_at, ended_at) - outage_start)
                              from server_outage where coalesce(back_online_at, ended_at) is not null
                               and outage_start >= :from) x
                         group by week order by week""")
                .param("from", ts(from))
                .query((rs, i) -> new WeekMttr(rs.getObject("week", java.time.LocalDateTime.class).toInstant(ZoneOffset.UTC),
                        rs.getLong("repairs"), rs.getLong("mttr")))
                .list();
    }

    record Drill(long id, String database, String state, boolean passed, Instant requestedAt, Long durationSeconds,
                 Long dataLossWindowMs) {
    }

    /** Drills in the range, oldest first: a drill passed when it ended as {@code drilled}. */
    List<Drill> drills(Instant from, int limit) {
        return jdbc.sql("""
                        select * from (select id, database, state, requested_at, ended_at, data_loss_window_ms
                                         from continuity_operation where mode = 'drill' and requested_at >= :from
                                        order by requested_at desc limit :limit) d order by requested_at""")
                .param("from", ts(from)).param("limit", limit)
                .query((rs, i) -> {
                    Instant start = instant(rs, "requested_at");
                    Instant end = instant(rs, "ended_at");
                    return new Drill(rs.getLong("id"), rs.getString("database"), rs.getString("state"),
                            "drilled".equals(rs.getString("state")), start,
                            end == null ? null : Duration.between(start, end).toSeconds(),
                            rs.getObject("data_loss_window_ms", Long.class));
                })
                .list();
    }

    /**
     * Heartbeats per minute over the last {@code minutes} minutes, counted from the servers' and
     * hubs' last heartbeat times: each server counts in the minute of its latest heartbeat (the
     * orchestrator keeps no log of every beat, only the latest per sender).
     */
    Map<Instant, Long> lastHeartbeatsPerMinute(Instant now, int minutes) {
        Instant end = now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        Instant start = end.minus(Duration.ofMinutes(minutes - 1));
        Map<Instant, Long> result = new LinkedHashMap<>();
        for (int i = 0; i < minutes; i++) {
            result.put(start.plus(Duration.ofMinutes(i)), 0L);
        }
        jdbc.sql("""
                        select date_trunc('minute', t at time zone 'UTC') as minute, count(*) from (
                            select last_ping_at as t from server where last_ping_at >= :start
                            union all select primary_last_heartbeat from hub_pair where primary_last_heartbeat >= :start
                            union all select secondary_last_heartbeat from hub_pair where secondary_last_heartbeat >= :start
                        ) x where t < :end group by 1""")
                .param("start", ts(start)).param("end", ts(end.plus(Duration.ofMinutes(1))))
                .query((rs, i) -> Map.entry(rs.getObject(1, java.time.LocalDateTime.class).toInstant(ZoneOffset.UTC),
                        rs.getLong(2)))
                .list().forEach(e -> result.computeIfPresent(e.getKey(), (k, v) -> e.getValue()));
        return result;
    }

    record Page<T>(int page, int size, long total, List<T> items) {
    }

    private static String likeLiteral(String prefix) {
        return prefix == null ? null : prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static OffsetDateTime ts(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}

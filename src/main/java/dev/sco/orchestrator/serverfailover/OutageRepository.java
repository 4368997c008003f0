package dev.sco.orchestrator.serverfailover;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Outages, sessions, sites and jobs. The detector's reads and writes are set-based: a pass costs
 * a fixed number of statements whatever the number of servers.
 */
@Repository
class OutageRepository {

    private static final String OUTAGE_COLUMNS = """
            id, server, outage_start, last_ping_at, detected_at, standby, state, sessions_closed,
            process_instance_id, back_online_at, ended_at""";

    private final JdbcClient jdbc;

    OutageRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Servers that are Down at {@code now} (a last ping older than their period; a server that
     * never reported is not watched yet) and whose current outage nobody acted on.
     */
    List<DownServer> downWithoutFailover(Instant now) {
        return jdbc.sql("""
                        WITH down AS (
                            SELECT s.name, s.standby, s.last_ping_at,
                                   s.last_ping_at + make_interval(secs => s.unresponsive_period_seconds) AS outage_start
                            FROM server s
                            WHERE s.last_ping_at IS NOT NULL
                              AND s.last_ping_at + make_interval(secs => s.unresponsive_period_seconds) < :now),
                        fresh AS (
                            SELECT d.* FROM down d
                            WHERE NOT EXISTS (SELECT 1 FROM server_outage o
                                              WHERE o.server = d.name AND o.outage_start = d.outage_start))
                        SELECT f.name, f.standby, f.last_ping_at, f.outage_start,
                               open.id AS open_id, open.state AS open_state, open.process_instance_id AS open_process,
                               latest.at AS last_failover_at
                        FROM fresh f
                        LEFT JOIN LATERAL (
                            SELECT o.id, o.state, o.process_instance_id FROM server_outage o
                            WHERE o.server = f.name AND o.ended_at IS NULL
                            ORDER BY o.detected_at DESC LIMIT 1) open ON true
                        LEFT JOIN LATERAL (
                            SELECT max(o.detected_at) AS at FROM server_outage o WHERE o.server = f.name) latest ON true
                        ORDER BY f.name""")
                .param("now", timestamp(now))
                .query((rs, row) -> new DownServer(rs.getString("name"), rs.getString("standby"),
                        instant(rs, "last_ping_at"), instant(rs, "outage_start"),
                        (Long) rs.getObject("open_id"), rs.getString("open_state"), rs.getString("open_process"),
                        instant(rs, "last_failover_at")))
                .list();
    }

    /**
     * Claims the outages in one statement. A concurrent pass (this or another node) that claimed
     * one first wins it: the unique (server, outage start) leaves it out of the answer here.
     */
    Map<String, Long> claim(Collection<DownServer> outages, Instant now) {
        if (outages.isEmpty()) {
            return Map.of();
        }
        int n = outages.size();
        String[] servers = new String[n];
        String[] starts = new String[n];
        String[] pings = new String[n];
        String[] standbys = new String[n];
        int i = 0;
        for (DownServer down : outages) {
            servers[i] = down.server();
            starts[i] = down.outageStart().toString();
            pings[i] = down.lastPingAt().toString();
            standbys[i] = down.standby();
            i++;
        }
        Map<String, Long> claimed = new LinkedHashMap<>();
        return jdbc.sql("""
                        INSERT INTO server_outage (server, outage_start, last_ping_at, detected_at, standby, state)
                        SELECT u.server, u.outage_start, u.last_ping, ?,  u.standby,
                               CASE WHEN u.standby IS NULL THEN 'no-standby' ELSE 'failing-over' END
                        FROM unnest(?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[])
                             AS u(server, outage_start, last_ping, standby)
                        ON CONFLICT (server, outage_start) DO NOTHING
                        RETURNING server, id""")
                .params(timestamp(now), servers, starts, pings, standbys)
                .query((ResultSet rs) -> {
                    while (rs.next()) {
                        claimed.put(rs.getString("server"), rs.getLong("id"));
                    }
                    return claimed;
                });
    }

    /**
     * Closes every open session of every server that is Down at {@code now}, in one statement;
     * answers how many per server. Every pass does this, whatever it decides about failing the
     * server over: a Down server's sessions are dead whether or not it is failed over (grace,
     * cool-down, a failover still running), and work must not stay assigned to them. Except the
     * servers in {@code held} (a maintenance pause): nothing is done to them.
     */
    Map<String, Integer> closeSessionsOfDownServers(Instant now, Collection<String> held) {
        Map<String, Integer> closed = new LinkedHashMap<>();
        return jdbc.sql("""
                        WITH closed AS (
                            UPDATE server_session ss SET closed_at = :now, closed_reason = 'server down'
                            FROM server s
                            WHERE ss.closed_at IS NULL AND s.name = ss.server
                              AND s.last_ping_at IS NOT NULL
                              AND s.last_ping_at + make_interval(secs => s.unresponsive_period_seconds) < :now
                              AND s.name <> ALL (:held::text[])
                            RETURNING ss.server)
                        SELECT server, count(*) AS n FROM closed GROUP BY server""")
                .param("now", timestamp(now))
                .param("held", held.toArray(String[]::new))
                .query((ResultSet rs) -> {
                    while (rs.next()) {
                        closed.put(rs.getString("server"), rs.getInt("n"));
                    }
                    return closed;
                });
    }

    /**
     * Stores on each claimed outage how many sessions its server lost to it (closed as Down since
     * the outage started, possibly by earlier passes during the grace), in one statement.
     */
    void sessionsClosed(Collection<Long> outageIds) {
        if (outageIds.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        UPDATE server_outage o SET sessions_closed = (
                            SELECT count(*) FROM server_session ss
                            WHERE ss.server = o.server AND ss.closed_reason = 'server down'
                              AND ss.closed_at >= o.outage_start)
                        WHERE o.id = ANY (?::text[]::bigint[])""")
                .param(outageIds.stream().map(String::valueOf).toArray(String[]::new))
                .update();
    }

    /**
     * Up to {@code limit} claimed outages whose process has not started, locked for this
     * transaction; outages another node is starting right now are skipped, not waited for.
     */
    List<Outage> lockUnstarted(int limit) {
        return jdbc.sql("SELECT " + OUTAGE_COLUMNS + """
                         FROM server_outage
                        WHERE process_instance_id IS NULL AND ended_at IS NULL
                        ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED""")
                .param(limit).query(OutageRepository::outage).list();
    }

    /** Stores the started processes of a batch in one statement. */
    void started(Map<Long, String> processByOutage) {
        if (processByOutage.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        UPDATE server_outage o SET process_instance_id = u.process
                        FROM unnest(?::text[]::bigint[], ?::text[]) AS u(id, process)
                        WHERE o.id = u.id""")
                .params(processByOutage.keySet().stream().map(String::valueOf).toArray(String[]::new),
                        processByOutage.values().toArray(String[]::new))
                .update();
    }

    /**
     * Outages whose process waits for the server and whose server reported again since the
     * outage and is Up now: marked back online in one statement.
     */
    List<Outage> markBackOnline(Instant now) {
        return jdbc.sql("""
                        UPDATE server_outage o SET state = 'back-online', back_online_at = :now
                        FROM server s
                        WHERE o.state = 'awaiting-return' AND s.name = o.server
                          AND s.last_ping_at > COALESCE(o.last_ping_at, '-infinity'::timestamptz)
                          AND s.last_ping_at + make_interval(secs => s.unresponsive_period_seconds) >= :now
                        RETURNING o.id, o.server, o.outage_start, o.last_ping_at, o.detected_at, o.standby, o.state,
                                  o.sessions_closed, o.process_instance_id, o.back_online_at, o.ended_at""")
                .param("now", timestamp(now))
                .query(OutageRepository::outage).list();
    }

    Optional<Outage> find(long id) {
        return jdbc.sql("SELECT " + OUTAGE_COLUMNS + " FROM server_outage WHERE id = ?").param(id)
                .query(OutageRepository::outage).optional();
    }

    Optional<Outage> findByProcess(String processInstanceId) {
        return jdbc.sql("SELECT " + OUTAGE_COLUMNS + " FROM server_outage WHERE process_instance_id = ?")
                .param(processInstanceId).query(OutageRepository::outage).optional();
    }

    List<Outage> ofServer(String server, int limit) {
        return jdbc.sql("SELECT " + OUTAGE_COLUMNS + " FROM server_outage WHERE server = ? ORDER BY detected_at DESC, id DESC LIMIT ?")
                .param(server).param(limit).query(OutageRepository::outage).list();
    }

    /** The open outage of a server, if any. */
    Optional<Outage> openOf(String server) {
        return jdbc.sql("SELECT " + OUTAGE_COLUMNS + " FROM server_outage WHERE server = ? AND ended_at IS NULL "
                        + "ORDER BY detected_at DESC LIMIT 1")
                .param(server).query(OutageRepository::outage).optional();
    }

    /** An outage opened by hand (a failover started over the engine REST API), once per process. */
    long openByHand(String server, Instant lastPingAt, String standby, String processInstanceId, Instant now) {
        return jdbc.sql("""
                        INSERT INTO server_outage (server, outage_start, last_ping_at, detected_at, standby, state,
                                                   process_instance_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (server, outage_start) DO UPDATE SET process_instance_id = server_outage.process_instance_id
                        RETURNING id""")
                .params(server, timestamp(now), timestamp(lastPingAt), timestamp(now), standby,
                        standby == null ? Outage.NO_STANDBY : Outage.FAILING_OVER, processInstanceId)
                .query(Long.class).single();
    }

    void setState(long id, String state) {
        jdbc.sql("UPDATE server_outage SET state = ? WHERE id = ?").params(state, id).update();
    }

    /** Moves from FAILING_OVER only, so a retried step never undoes a later state. */
    void awaitReturn(long id) {
        jdbc.sql("UPDATE server_outage SET state = 'awaiting-return' WHERE id = ? AND state = 'failing-over'")
                .param(id).update();
    }

    void end(long id, String state, Instant now) {
        jdbc.sql("UPDATE server_outage SET state = ?, ended_at = COALESCE(ended_at, ?) WHERE id = ?")
                .params(state, timestamp(now), id).update();
    }

    /** Moves the server's sites to the standby and records each move; a re-run finds nothing left to move. */
    int moveSites(long outageId, String server, String standby, Instant now) {
        return jdbc.sql("""
                        WITH moved AS (
                            UPDATE site SET managed_by = :standby, updated_at = :now
                            WHERE managed_by = :server RETURNING name)
                        INSERT INTO server_failover_move (outage_id, item_kind, item, from_server, to_server)
                        SELECT :outage, 'site', name, :server, :standby FROM moved
                        ON CONFLICT DO NOTHING""")
                .param("outage", outageId).param("server", server).param("standby", standby)
                .param("now", timestamp(now))
                .update();
    }

    /** Moves every job but gathering jobs, which stay with the server that collects their data. */
    int moveJobs(long outageId, String server, String standby, Instant now) {
        return jdbc.sql("""
                        WITH moved AS (
                            UPDATE server_job SET managed_by = :standby, updated_at = :now
                            WHERE managed_by = :server AND kind <> 'gathering' RETURNING name)
                        INSERT INTO server_failover_move (outage_id, item_kind, item, from_server, to_server)
                        SELECT :outage, 'job', name, :server, :standby FROM moved
                        ON CONFLICT DO NOTHING""")
                .param("outage", outageId).param("server", server).param("standby", standby)
                .param("now", timestamp(now))
                .update();
    }

    void recordAgentMoves(long outageId, List<String> agents, String server, String standby) {
        if (agents.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO server_failover_move (outage_id, item_kind, item, from_server, to_server)
                        SELECT ?, 'agent', u.name, ?, ? FROM unnest(?::text[]) AS u(name)
                        ON CONFLICT DO NOTHING""")
                .params(outageId, server, standby, agents.toArray(String[]::new))
                .update();
    }

    /** Agents this outage moved and has not moved back. */
    List<String> movedAgents(long outageId) {
        return jdbc.sql("""
                        SELECT item FROM server_failover_move
                        WHERE outage_id = ? AND item_kind = 'agent' AND NOT moved_back ORDER BY item""")
                .param(outageId).query(String.class).list();
    }

    /**
     * Moves this outage's sites and jobs back where they are still on the standby (an operator may
     * have placed some elsewhere meanwhile) and marks them moved back.
     */
    int moveSitesAndJobsBack(long outageId, Instant now) {
        int sites = jdbc.sql("""
                        WITH back AS (
                            UPDATE site s SET managed_by = m.from_server, updated_at = :now
                            FROM server_failover_move m
                            WHERE m.outage_id = :outage AND m.item_kind = 'site' AND NOT m.moved_back
                              AND s.name = m.item AND s.managed_by = m.to_server
                            RETURNING s.name)
                        UPDATE server_failover_move m SET moved_back = true FROM back
                        WHERE m.outage_id = :outage AND m.item_kind = 'site' AND m.item = back.name""")
                .param("outage", outageId).param("now", timestamp(now)).update();
        int jobs = jdbc.sql("""
                        WITH back AS (
                            UPDATE server_job j SET managed_by = m.from_server, updated_at = :now
                            FROM server_failover_move m
                            WHERE m.outage_id = :outage AND m.item_kind = 'job' AND NOT m.moved_back
                              AND j.name = m.item AND j.managed_by = m.to_server
                            RETURNING j.name)
                        UPDATE server_failover_move m SET moved_back = true FROM back
                        WHERE m.outage_id = :outage AND m.item_kind = 'job' AND m.item = back.name""")
                .param("outage", outageId).param("now", timestamp(now)).update();
        return sites + jobs;
    }

    void markAgentsMovedBack(long outageId, List<String> agents) {
        if (agents.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        UPDATE server_failover_move SET moved_back = true
                        WHERE outage_id = ? AND item_kind = 'agent' AND item = ANY (?::text[])""")
                .params(outageId, agents.toArray(String[]::new)).update();
    }

    /** Moved items of an outage by kind (site, job, agent), for its record. */
    Map<String, Integer> moveCounts(long outageId) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        return jdbc.sql("SELECT item_kind, count(*) AS n FROM server_failover_move WHERE outage_id = ? GROUP BY item_kind ORDER BY item_kind")
                .param(outageId)
                .query((ResultSet rs) -> {
                    while (rs.next()) {
                        counts.put(rs.getString("item_kind"), rs.getInt("n"));
                    }
                    return counts;
                });
    }

    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Outage outage(ResultSet rs, int row) throws SQLException {
        return new Outage(rs.getLong("id"), rs.getString("server"), instant(rs, "outage_start"),
                instant(rs, "last_ping_at"), instant(rs, "detected_at"), rs.getString("standby"), rs.getString("state"),
                rs.getInt("sessions_closed"), rs.getString("process_instance_id"), instant(rs, "back_online_at"),
                instant(rs, "ended_at"));
    }
}

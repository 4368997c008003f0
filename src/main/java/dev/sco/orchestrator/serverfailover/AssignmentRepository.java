package dev.sco.orchestrator.serverfailover;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What an outage moved, as told to a management server, and the record of each telling. */
@Repository
class AssignmentRepository {

    private final JdbcClient jdbc;

    AssignmentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Sites the outage moved (only those moved back, for a failback). */
    List<String> sites(long outageId, boolean movedBack) {
        return jdbc.sql("""
                        SELECT item FROM server_failover_move
                        WHERE outage_id = ? AND item_kind = 'site' AND (NOT ? OR moved_back) ORDER BY item""")
                .params(outageId, movedBack).query(String.class).list();
    }

    List<Assignment.Job> jobs(long outageId, boolean movedBack) {
        return jdbc.sql("""
                        SELECT m.item, j.kind, j.site FROM server_failover_move m
                        JOIN server_job j ON j.name = m.item
                        WHERE m.outage_id = ? AND m.item_kind = 'job' AND (NOT ? OR m.moved_back) ORDER BY m.item""")
                .params(outageId, movedBack)
                .query((rs, row) -> new Assignment.Job(rs.getString(1), rs.getString(2), rs.getString(3))).list();
    }

    /** One call (or the finding that there is no address to call), counted per outage and direction. */
    void record(Assignment assignment, String outcome, String detail, Instant at) {
        jdbc.sql("""
                        INSERT INTO server_failover_callout AS c
                            (outage_id, direction, server, outcome, sites, jobs, attempts, detail, last_attempt_at)
                        VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
                        ON CONFLICT (outage_id, direction) DO UPDATE SET
                            server = EXCLUDED.server, outcome = EXCLUDED.outcome, sites = EXCLUDED.sites,
                            jobs = EXCLUDED.jobs, attempts = c.attempts + 1, detail = EXCLUDED.detail,
                            last_attempt_at = EXCLUDED.last_attempt_at""")
                .params(assignment.outageId(), assignment.direction(), assignment.server(), outcome,
                        assignment.sites().size(), assignment.jobs().size(),
                        detail == null ? null : detail.length() > 1000 ? detail.substring(0, 1000) : detail,
                        OutageRepository.timestamp(at))
                .update();
    }

    /** {@code GET /api/servers/{name}/failovers/{id}/callouts}: one row per direction. */
    record Callout(String direction, String server, String outcome, int sites, int jobs, int attempts, String detail,
                   Instant lastAttemptAt) {
    }

    List<Callout> callouts(long outageId) {
        return jdbc.sql("""
                        SELECT direction, server, outcome, sites, jobs, attempts, detail, last_attempt_at
                        FROM server_failover_callout WHERE outage_id = ? ORDER BY last_attempt_at""")
                .param(outageId)
                .query((rs, row) -> new Callout(rs.getString("direction"), rs.getString("server"),
                        rs.getString("outcome"), rs.getInt("sites"), rs.getInt("jobs"), rs.getInt("attempts"),
                        rs.getString("detail"), OutageRepository.instant(rs, "last_attempt_at")))
                .list();
    }
}

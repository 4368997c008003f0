package dev.sco.orchestrator.serverfailover;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code site} and {@code server_job} tables: what each management server runs. */
@Repository
class ServerWorkRepository {

    private final JdbcClient jdbc;

    ServerWorkRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Serialises changes of sites and jobs with each other and with the failover steps that move
     * them, so a registration never interleaves with a move.
     */
    void lock() {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('server-work'))").query((rs, row) -> 1).list();
    }

    List<ServerWork.Site> sites(String server) {
        return jdbc.sql("SELECT name, updated_at FROM site WHERE managed_by = ? ORDER BY name").param(server)
                .query((rs, row) -> new ServerWork.Site(rs.getString("name"), OutageRepository.instant(rs, "updated_at")))
                .list();
    }

    List<ServerWork.Job> jobs(String server) {
        return jdbc.sql("SELECT name, kind, site, updated_at FROM server_job WHERE managed_by = ? ORDER BY name")
                .param(server)
                .query((rs, row) -> new ServerWork.Job(rs.getString("name"), rs.getString("kind"), rs.getString("site"),
                        OutageRepository.instant(rs, "updated_at")))
                .list();
    }

    /** The server managing each of {@code names} that exists. */
    Map<String, String> siteManagers(List<String> names) {
        return managers("site", names);
    }

    Map<String, String> jobManagers(List<String> names) {
        return managers("server_job", names);
    }

    private Map<String, String> managers(String table, List<String> names) {
        return jdbc.sql("SELECT name, managed_by FROM " + table + " WHERE name = ANY (?::text[])")
                .param(names.toArray(String[]::new))
                .query((rs, row) -> Map.entry(rs.getString(1), rs.getString(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Jobs (of any server) that belong to one of the server's sites not in {@code keep}: name → site. */
    Map<String, String> jobsOfDroppedSites(String server, List<String> keep) {
        return jdbc.sql("""
                        SELECT j.name, j.site FROM server_job j JOIN site s ON s.name = j.site
                        WHERE s.managed_by = ? AND NOT (s.name = ANY (?::text[]))
                        ORDER BY j.name LIMIT 20""")
                .params(server, keep.toArray(String[]::new))
                .query((rs, row) -> Map.entry(rs.getString(1), rs.getString(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    void replaceSites(String server, List<String> names, Instant now) {
        jdbc.sql("DELETE FROM site WHERE managed_by = ? AND NOT (name = ANY (?::text[]))")
                .params(server, names.toArray(String[]::new)).update();
        jdbc.sql("""
                        INSERT INTO site (name, managed_by, updated_at)
                        SELECT u.name, ?, ? FROM unnest(?::text[]) AS u(name)
                        ON CONFLICT (name) DO NOTHING""")
                .params(server, OutageRepository.timestamp(now), names.toArray(String[]::new)).update();
    }

    void replaceJobs(String server, List<ServerWorkRequests.JobRequest> jobs, Instant now) {
        String[] names = jobs.stream().map(ServerWorkRequests.JobRequest::name).toArray(String[]::new);
        jdbc.sql("DELETE FROM server_job WHERE managed_by = ? AND NOT (name = ANY (?::text[]))")
                .params(server, names).update();
        jdbc.sql("""
                        INSERT INTO server_job (name, kind, site, managed_by, updated_at)
                        SELECT u.name, u.kind, u.site, ?, ? FROM unnest(?::text[], ?::text[], ?::text[]) AS u(name, kind, site)
                        ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, site = EXCLUDED.site,
                            updated_at = EXCLUDED.updated_at
                        WHERE server_job.managed_by = EXCLUDED.managed_by""")
                .params(server, OutageRepository.timestamp(now), names,
                        jobs.stream().map(ServerWorkRequests.JobRequest::kind).toArray(String[]::new),
                        jobs.stream().map(ServerWorkRequests.JobRequest::site).toArray(String[]::new))
                .update();
    }

    /** Those of {@code names} that are no registered site. */
    List<String> unknownSites(List<String> names) {
        return jdbc.sql("""
                        SELECT u.name FROM unnest(?::text[]) AS u(name)
                        WHERE NOT EXISTS (SELECT 1 FROM site s WHERE s.name = u.name)""")
                .param(names.toArray(String[]::new)).query(String.class).list();
    }

    /**
     * Why the server's work may not be changed now, or null: it is in an open failover, or it is
     * the standby holding work an open failover moved to it (changing either would leave the
     * failback nothing exact to move back).
     */
    String failoverInProgress(String server) {
        return jdbc.sql("""
                        SELECT CASE WHEN o.server = :server
                                    THEN 'server ' || o.server || ' is failing over (outage ' || o.id || ', ' || o.state || ')'
                                    ELSE 'server ' || :server || ' holds the work of ' || o.server
                                         || ' during its failover (outage ' || o.id || ', ' || o.state || ')' END
                        FROM server_outage o
                        WHERE o.ended_at IS NULL
                          AND (o.server = :server
                               OR EXISTS (SELECT 1 FROM server_failover_move m
                                          WHERE m.outage_id = o.id AND m.to_server = :server AND NOT m.moved_back
                                            AND m.item_kind IN ('site', 'job')))
                        ORDER BY o.id LIMIT 1""")
                .param("server", server).query(String.class).optional().orElse(null);
    }
}

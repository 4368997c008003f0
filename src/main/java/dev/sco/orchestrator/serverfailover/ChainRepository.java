package dev.sco.orchestrator.serverfailover;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.sco.orchestrator.estate.ServerStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Agents' chains (table of the estate, read here) and servers' forwarding chains, with each link's liveness. */
@Repository
class ChainRepository {

    private static final String LINK = """
            SELECT l.server, s.last_ping_at, s.unresponsive_period_seconds,
                   EXISTS (SELECT 1 FROM server_outage o
                           WHERE o.server = l.server AND o.ended_at IS NULL
                             AND o.state IN ('failing-over', 'awaiting-return', 'back-online')) AS failed_over
            FROM (%s) l JOIN server s ON s.name = l.server
            ORDER BY l.position""";

    private final JdbcClient jdbc;

    ChainRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<ChainLink> agentChain(String agent, Instant now) {
        return links(LINK.formatted("SELECT server, position FROM agent_chain WHERE agent = ?"), agent, now);
    }

    List<ChainLink> forwardingChain(String server, Instant now) {
        return links(LINK.formatted("SELECT target AS server, position FROM server_forwarding_chain WHERE server = ?"),
                server, now);
    }

    /** Of {@code targets}, those whose forwarding (followed transitively) reaches {@code server}. */
    Set<String> reaching(String server, List<String> targets) {
        return Set.copyOf(jdbc.sql("""
                        WITH RECURSIVE reach (origin, server) AS (
                            SELECT t, t FROM unnest(?::text[]) AS t
                            UNION
                            SELECT r.origin, c.target FROM reach r
                            JOIN server_forwarding_chain c ON c.server = r.server)
                        SELECT DISTINCT origin FROM reach WHERE server = ?""")
                .params(targets.toArray(String[]::new), server)
                .query(String.class).list());
    }

    /** Serialises chain changes, so two concurrent changes cannot close a cycle between them. */
    void lockChains() {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('server_forwarding_chain'))").query((rs, row) -> 1).list();
    }

    void replaceForwardingChain(String server, List<String> targets) {
        jdbc.sql("DELETE FROM server_forwarding_chain WHERE server = ?").param(server).update();
        if (!targets.isEmpty()) {
            jdbc.sql("""
                            INSERT INTO server_forwarding_chain (server, position, target)
                            SELECT ?, u.ord - 1, u.target FROM unnest(?::text[]) WITH ORDINALITY AS u(target, ord)""")
                    .params(server, targets.toArray(String[]::new))
                    .update();
        }
    }

    boolean agentExists(String agent) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM agent WHERE name = ?)").param(agent).query(Boolean.class).single();
    }

    private List<ChainLink> links(String sql, String owner, Instant now) {
        return jdbc.sql(sql).param(owner)
                .query((rs, row) -> new ChainLink(rs.getString("server"),
                        ServerStatus.derive(OutageRepository.instant(rs, "last_ping_at"),
                                rs.getInt("unresponsive_period_seconds"), now),
                        rs.getBoolean("failed_over")))
                .list();
    }
}

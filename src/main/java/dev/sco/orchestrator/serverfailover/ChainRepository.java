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

    /** An agent's chain or a server's forwarding chain that reaches no live server. */
    record BrokenChain(String kind, String owner, List<String> servers) {

        /** One readable line for the operators' task. */
        String line() {
            return ("agent".equals(kind) ? "agent " : "forwarding chain of server ") + owner + ": "
                    + String.join(" > ", servers) + " (no server Up and not failed over)";
        }
    }

    /**
     * Agents' chains and servers' forwarding chains that list {@code server} and in which no server
     * is live at {@code now} (Up, as {@link ServerStatus#derive} says, and not in an open failover):
     * the same liveness as {@link ChainLink#live()}, in one statement over the whole estate.
     */
    List<BrokenChain> brokenChainsThrough(String server, Instant now) {
        return jdbc.sql("""
                        WITH link AS (
                            SELECT 'agent' AS kind, c.agent AS owner, c.position, c.server FROM agent_chain c
                            WHERE c.agent IN (SELECT agent FROM agent_chain WHERE server = :server)
                            UNION ALL
                            SELECT 'forwarding', f.server, f.position, f.target FROM server_forwarding_chain f
                            WHERE f.server IN (SELECT server FROM server_forwarding_chain WHERE target = :server)),
                        judged AS (
                            SELECT l.kind, l.owner, l.position, l.server,
                                   s.last_ping_at IS NOT NULL
                                   AND s.last_ping_at >= CAST(:now AS timestamptz) - s.unresponsive_period_seconds * interval '1 second'
                                   AND NOT EXISTS (SELECT 1 FROM server_outage o
                                                   WHERE o.server = l.server AND o.ended_at IS NULL
                                                     AND o.state IN ('failing-over', 'awaiting-return', 'back-online')) AS live
                            FROM link l JOIN server s ON s.name = l.server)
                        SELECT kind, owner, array_agg(server ORDER BY position) AS servers FROM judged
                        GROUP BY kind, owner HAVING NOT bool_or(live)
                        ORDER BY kind, owner""")
                .param("server", server).param("now", OutageRepository.timestamp(now))
                .query((rs, row) -> new BrokenChain(rs.getString("kind"), rs.getString("owner"),
                        java.util.Arrays.stream((Object[]) rs.getArray("servers").getArray()).map(String::valueOf)
                                .toList()))
                .list();
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

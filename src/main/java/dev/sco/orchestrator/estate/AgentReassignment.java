package dev.sco.orchestrator.estate;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Moves agents between management servers on behalf of a server failover: only agents the
 * failed server deployed automatically can follow it; hand-installed ones are listed for an
 * operator. Each method is one statement and joins the caller's transaction.
 */
@Service
public class AgentReassignment {

    private final JdbcClient jdbc;

    AgentReassignment(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Registers every automatically deployed agent of {@code from} with {@code to}; returns their names. */
    public List<String> moveAutomaticAgents(String from, String to) {
        return jdbc.sql("""
                        UPDATE agent SET managed_by = :to, updated_at = now()
                        WHERE managed_by = :from AND registration = 'automatic'
                        RETURNING name""")
                .param("from", from).param("to", to)
                .query(String.class).list().stream().sorted().toList();
    }

    /** The hand-installed agents managed by {@code server}, by name. */
    public List<String> manualAgentsOf(String server) {
        return jdbc.sql("SELECT name FROM agent WHERE managed_by = ? AND registration = 'manual' ORDER BY name")
                .param(server).query(String.class).list();
    }

    /** Moves the named agents from {@code from} back to {@code to}, leaving any an operator moved elsewhere. */
    public List<String> moveBack(List<String> agents, String from, String to) {
        if (agents.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        UPDATE agent SET managed_by = :to, updated_at = now()
                        WHERE name = ANY (:names::text[]) AND managed_by = :from
                        RETURNING name""")
                .param("names", agents.toArray(String[]::new)).param("from", from).param("to", to)
                .query(String.class).list();
    }
}

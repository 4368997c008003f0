package dev.sco.orchestrator.estate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code agent} and {@code agent_chain} tables. Reads are public. */
@Repository
public class AgentRepository {

    private static final String SELECT = """
            SELECT a.name, a.instance, a.username, a.status, a.status_changed_at, a.registration, a.managed_by,
                   a.created_at, a.updated_at,
                   ARRAY(SELECT c.server FROM agent_chain c WHERE c.agent = a.name ORDER BY c.position)::text[]
                       AS chain
            FROM agent a
            """;

    private final JdbcClient jdbc;

    AgentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Agent> find(String name) {
        return jdbc.sql(SELECT + "WHERE a.name = ?").param(name).query(AgentRepository::map).optional();
    }

    public List<Agent> findAll() {
        return jdbc.sql(SELECT + "ORDER BY a.name").query(AgentRepository::map).list();
    }

    public List<Agent> findByInstance(String instance) {
        return jdbc.sql(SELECT + "WHERE a.instance = ? ORDER BY a.name").param(instance)
                .query(AgentRepository::map).list();
    }

    /** Creates the agent unless it exists; true when created. */
    boolean insertIfAbsent(String name, AgentRequest request, Instant now) {
        return jdbc.sql("""
                        INSERT INTO agent (name, instance, username, status, registration, managed_by,
                                           status_changed_at, created_at, updated_at)
                        VALUES (:name, :instance, :user, :status, :registration, :managedBy, :now, :now, :now)
                        ON CONFLICT (name) DO NOTHING""")
                .param("name", name)
                .param("instance", request.instance())
                .param("user", request.user())
                .param("status", request.status().value())
                .param("registration", request.registration().value())
                .param("managedBy", request.managedBy())
                .param("now", Sql.timestamp(now))
                .update() == 1;
    }

    /** Replaces everything but the status, which only changes through {@link AgentStatusService}. */
    void updateDescription(String name, AgentRequest request, Instant now) {
        jdbc.sql("""
                        UPDATE agent SET instance = :instance, username = :user, registration = :registration,
                                         managed_by = :managedBy, updated_at = :now
                        WHERE name = :name""")
                .param("name", name)
                .param("instance", request.instance())
                .param("user", request.user())
                .param("registration", request.registration().value())
                .param("managedBy", request.managedBy())
                .param("now", Sql.timestamp(now))
                .update();
    }

    void replaceChain(String name, List<String> servers) {
        jdbc.sql("DELETE FROM agent_chain WHERE agent = ?").param(name).update();
        if (!servers.isEmpty()) {
            jdbc.sql("""
                            INSERT INTO agent_chain (agent, position, server)
                            SELECT ?, u.ord - 1, u.server FROM unnest(?::text[]) WITH ORDINALITY AS u(server, ord)""")
                    .param(name).param(servers.toArray(String[]::new))
                    .update();
        }
    }

    /** The agent's status and when it began, with the row locked until the transaction ends. */
    Optional<LockedStatus> lockStatus(String name) {
        return jdbc.sql("SELECT status, status_changed_at FROM agent WHERE name = ? FOR UPDATE")
                .param(name)
                .query((rs, row) -> new LockedStatus(AgentStatus.of(rs.getString("status")),
                        Sql.instant(rs, "status_changed_at")))
                .optional();
    }

    void updateStatus(String name, AgentStatus status, Instant now) {
        jdbc.sql("UPDATE agent SET status = ?, status_changed_at = ?, updated_at = ? WHERE name = ?")
                .param(status.value()).param(Sql.timestamp(now)).param(Sql.timestamp(now)).param(name)
                .update();
    }

    record LockedStatus(AgentStatus status, Instant since) {
    }

    private static Agent map(ResultSet rs, int row) throws SQLException {
        return new Agent(rs.getString("name"), rs.getString("instance"), rs.getString("username"),
                AgentStatus.of(rs.getString("status")), Sql.instant(rs, "status_changed_at"),
                AgentRegistration.of(rs.getString("registration")), rs.getString("managed_by"),
                Sql.strings(rs, "chain"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}

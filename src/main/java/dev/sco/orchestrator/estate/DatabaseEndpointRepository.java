package dev.sco.orchestrator.estate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.sco.orchestrator.platform.target.DatabaseEndpoint;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code database_endpoint} table. Reads are public: other features resolve endpoints here. */
@Repository
public class DatabaseEndpointRepository {

    /** Serialises changes of pairings, which touch up to four rows that may not exist yet. */
    private static final long PAIRING_LOCK = 0x5C0_0001L;

    private static final String COLUMNS = DatabaseEndpoint.COLUMNS;

    private final JdbcClient jdbc;

    DatabaseEndpointRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<DatabaseEndpoint> find(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM database_endpoint WHERE name = ?")
                .param(name).query(DatabaseEndpointRepository::map).optional();
    }

    public List<DatabaseEndpoint> findAll() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM database_endpoint ORDER BY name")
                .query(DatabaseEndpointRepository::map).list();
    }

    void lockPairings() {
        jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(PAIRING_LOCK).query().singleRow();
    }

    /** Inserts or replaces the endpoint; true when it was inserted. */
    boolean upsert(String name, DatabaseEndpointRequest request, Instant now) {
        return jdbc.sql("""
                        INSERT INTO database_endpoint AS d
                            (name, jdbc_url, username, password_env, role, paired_with, consumer_roles,
                             created_at, updated_at)
                        VALUES (:name, :jdbcUrl, :username, :passwordEnv, :role, :pairedWith, :consumerRoles::text[],
                                :now, :now)
                        ON CONFLICT (name) DO UPDATE SET
                            jdbc_url = EXCLUDED.jdbc_url, username = EXCLUDED.username,
                            password_env = EXCLUDED.password_env, role = EXCLUDED.role,
                            paired_with = EXCLUDED.paired_with, consumer_roles = EXCLUDED.consumer_roles,
                            updated_at = EXCLUDED.updated_at
                        RETURNING (xmax = 0) AS inserted""")
                .param("name", name)
                .param("jdbcUrl", request.jdbcUrl())
                .param("username", request.username())
                .param("passwordEnv", request.passwordEnv())
                .param("role", request.role().value())
                .param("pairedWith", request.pairedWith())
                .param("consumerRoles", request.consumerRoles().toArray(String[]::new))
                .param("now", Sql.timestamp(now))
                .query(Boolean.class).single();
    }

    /** Makes {@code name} the only partner of {@code partner} (or of nobody when partner is null). */
    void pairSymmetrically(String name, String partner, Instant now) {
        jdbc.sql("""
                        UPDATE database_endpoint SET paired_with = NULL, updated_at = :now
                        WHERE paired_with = :name AND name IS DISTINCT FROM :partner""")
                .param("name", name).param("partner", partner).param("now", Sql.timestamp(now))
                .update();
        if (partner != null) {
            jdbc.sql("""
                            UPDATE database_endpoint SET paired_with = :name, updated_at = :now
                            WHERE name = :partner AND paired_with IS DISTINCT FROM :name""")
                    .param("name", name).param("partner", partner).param("now", Sql.timestamp(now))
                    .update();
        }
    }

    private static DatabaseEndpoint map(ResultSet rs, int row) throws SQLException {
        return DatabaseEndpoint.map(rs, row);
    }

    /**
     * Moves the acting role of {@code database} to {@code role} for a continuity operation, in the
     * caller's transaction; only from {@code onlyFrom} when that is given. False when nothing changed
     * (already in that role, or not in {@code onlyFrom}). The trigger of V15 keeps the history.
     */
    public boolean moveActingRole(String database, String role, String onlyFrom, long operationId, String reason,
                                  Instant at) {
        return jdbc.sql("""
                        UPDATE database_endpoint
                           SET acting_role = :role, role_since = :at, role_operation_id = :operation, role_reason = :reason
                         WHERE name = :name AND acting_role <> :role
                           AND (CAST(:onlyFrom AS text) IS NULL OR acting_role = :onlyFrom)""")
                .param("role", role).param("at", Sql.timestamp(at)).param("operation", operationId)
                .param("reason", reason).param("name", database).param("onlyFrom", onlyFrom)
                .update() == 1;
    }

    /** One change of a database's acting role (a row of {@code database_role_change}). */
    public record RoleChange(long id, String database, String actingRole, String previousRole, Instant changedAt,
                             Long operationId, String reason) {
    }

    /** Every change of the database's acting role, oldest first. */
    List<RoleChange> roleHistory(String name, int limit) {
        return jdbc.sql("""
                        select id, database, acting_role, previous_role, changed_at, operation_id, reason
                          from (select * from database_role_change where database = ? order by id desc limit ?) recent
                         order by id""")
                .params(name, limit)
                .query((rs, i) -> new RoleChange(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Sql.instant(rs, "changed_at"), (Long) rs.getObject(6), rs.getString(7)))
                .list();
    }
}

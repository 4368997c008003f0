package dev.sco.orchestrator.platform.target;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A registered target database: a row of {@code database_endpoint}, the one type every feature
 * uses for it (the estate API answers with it, the pools are built from it). Holds the name of the
 * environment variable with the password, never the password. {@code pairedWith} is symmetric: if
 * A is paired with B, B is paired with A. {@code consumerRoles}: the roles the database's consumers
 * log in as, which a fence locks out.
 * <p>
 * {@code role} is the registered pairing ({@code primary} or {@code failover}) and does not change
 * with operations; {@code actingRole} is what the database does now ({@code primary},
 * {@code standby}, {@code failed}, {@code restoring}), since {@code actingSince}, set by continuity
 * operation {@code actingOperationId} (null when set by registration) for {@code actingReason}.
 */
public record DatabaseEndpoint(
        String name,
        String jdbcUrl,
        String username,
        String passwordEnv,
        String role,
        String pairedWith,
        List<String> consumerRoles,
        String actingRole,
        Instant actingSince,
        Long actingOperationId,
        String actingReason,
        Instant createdAt,
        Instant updatedAt) {

    /** The columns {@link #map} reads, for a {@code select} on {@code database_endpoint}. */
    public static final String COLUMNS = "name, jdbc_url, username, password_env, role, paired_with, consumer_roles, "
            + "acting_role, role_since, role_operation_id, role_reason, created_at, updated_at";

    public DatabaseEndpoint {
        consumerRoles = consumerRoles == null ? List.of() : List.copyOf(consumerRoles);
    }

    public static DatabaseEndpoint map(ResultSet rs, int row) throws SQLException {
        java.sql.Array roles = rs.getArray("consumer_roles");
        return new DatabaseEndpoint(rs.getString("name"), rs.getString("jdbc_url"), rs.getString("username"),
                rs.getString("password_env"), rs.getString("role"), rs.getString("paired_with"),
                roles == null ? List.of() : List.of((String[]) roles.getArray()),
                rs.getString("acting_role"), instant(rs, "role_since"), (Long) rs.getObject("role_operation_id"),
                rs.getString("role_reason"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    /** What a pool was built from: when any of these changes the pool must be rebuilt. */
    boolean sameConnectionAs(DatabaseEndpoint other) {
        return jdbcUrl.equals(other.jdbcUrl) && username.equals(other.username)
                && Objects.equals(passwordEnv, other.passwordEnv);
    }
}

package dev.sco.orchestrator.estate;

import java.time.Instant;
import java.util.List;

/**
 * A target database the orchestrator connects to. {@code passwordEnv} names the environment
 * variable holding the password (the password itself is never stored). {@code pairedWith} is
 * symmetric: if A is paired with B, B is paired with A. {@code consumerRoles}: the roles the
 * database's consumers log in as, which a fence locks out.
 * <p>
 * {@code role} is the registered pairing and does not change with operations; {@code actingRole}
 * is what the database does now ({@code primary}, {@code standby}, {@code failed},
 * {@code restoring}), since {@code actingSince}, set by continuity operation
 * {@code actingOperationId} (null when set by registration) for {@code actingReason}. The history
 * of acting roles: {@code GET /api/databases/{name}/roles}.
 */
public record DatabaseEndpoint(
        String name,
        String jdbcUrl,
        String username,
        String passwordEnv,
        DatabaseRole role,
        String pairedWith,
        List<String> consumerRoles,
        String actingRole,
        Instant actingSince,
        Long actingOperationId,
        String actingReason,
        Instant createdAt,
        Instant updatedAt) {
}

package dev.sco.orchestrator.estate;

import java.time.Instant;

/**
 * A target database the orchestrator connects to. {@code passwordEnv} names the environment
 * variable holding the password (the password itself is never stored). {@code pairedWith} is
 * symmetric: if A is paired with B, B is paired with A.
 */
public record DatabaseEndpoint(
        String name,
        String jdbcUrl,
        String username,
        String passwordEnv,
        DatabaseRole role,
        String pairedWith,
        Instant createdAt,
        Instant updatedAt) {
}

package dev.sco.orchestrator.estate;

import java.time.Instant;
import java.util.List;

/**
 * A target database the orchestrator connects to. {@code passwordEnv} names the environment
 * variable holding the password (the password itself is never stored). {@code pairedWith} is
 * symmetric: if A is paired with B, B is paired with A. {@code consumerRoles}: the roles the
 * database's consumers log in as, which a fence locks out.
 */
public record DatabaseEndpoint(
        String name,
        String jdbcUrl,
        String username,
        String passwordEnv,
        DatabaseRole role,
        String pairedWith,
        List<String> consumerRoles,
        Instant createdAt,
        Instant updatedAt) {
}

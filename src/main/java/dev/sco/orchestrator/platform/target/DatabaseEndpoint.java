package dev.sco.orchestrator.platform.target;

/**
 * A registered target database (a row of {@code database_endpoint}). Holds the name of the
 * environment variable with the password, never the password. {@code role} is the registered
 * pairing (primary or failover); {@code actingRole} what it does now (primary, standby, failed,
 * restoring), moved by failovers and restorations.
 */
public record DatabaseEndpoint(String name, String jdbcUrl, String username, String passwordEnv, String role,
                               String pairedWith, String actingRole) {

    /** What a pool was built from: when any of these changes the pool must be rebuilt. */
    boolean sameConnectionAs(DatabaseEndpoint other) {
        return jdbcUrl.equals(other.jdbcUrl) && username.equals(other.username)
                && java.util.Objects.equals(passwordEnv, other.passwordEnv);
    }
}

package dev.sco.orchestrator.estate;

/**
 * How the orchestrator authenticates its callouts to a server: HTTP Basic as {@code username},
 * with the password read at each call from the environment variable {@code passwordEnv}. The
 * variable's name is all that is stored and shown.
 */
public record CalloutAuth(String username, String passwordEnv) {
}

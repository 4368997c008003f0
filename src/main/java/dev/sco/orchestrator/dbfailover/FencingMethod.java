package dev.sco.orchestrator.dbfailover;

import java.time.Duration;
import java.time.Instant;

/**
 * One way to fence a database, registered with {@code PUT /api/databases/{name}/fencing}; the fence
 * step tries a database's methods in {@code position} order until one confirms.
 * <ul>
 * <li>{@code sql}: the orchestrator fences the database itself ({@link Fencing}); needs it to answer.</li>
 * <li>{@code agent}: an HTTP fencing agent at {@code url} (HTTP Basic as {@code username}, password
 * from the environment variable {@code passwordEnv}, never stored) answers that it cut the database
 * off within {@code timeout} ({@link FencingAgents}).</li>
 * <li>{@code writers}: every consumer bound to the database confirms through its reconnect callout
 * that it dropped its connections and writes to the new primary; {@code onlyWriters} is the DBA's
 * declaration that those consumers are the database's only writers.</li>
 * </ul>
 * The answer of the API names the variable of the password, never its value.
 */
public record FencingMethod(int position, String kind, String url, String username, String passwordEnv,
                            Duration timeout, Boolean onlyWriters, Instant updatedAt, String updatedBy) {

    public static final String SQL = "sql";
    public static final String AGENT = "agent";
    public static final String WRITERS = "writers";

    /** The methods of a database nobody registered any for: the fence of before issue 17. */
    static FencingMethod defaultSql() {
        return new FencingMethod(0, SQL, null, null, null, null, null, null, null);
    }

    String label() {
        return switch (kind) {
            case AGENT -> "agent " + FencingAgents.redacted(url);
            default -> kind;
        };
    }
}

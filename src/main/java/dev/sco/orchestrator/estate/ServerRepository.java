package dev.sco.orchestrator.estate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code server} table, including last pings. Reads are public; status is derived at {@code now}. */
@Repository
public class ServerRepository {

    private static final String COLUMNS =
            "name, kind, site, standby, unresponsive_period_seconds, last_ping_at, created_at, updated_at, "
                    + "reconnect_url, assignment_url, callout_username, callout_password_env";

    private final JdbcClient jdbc;

    ServerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Server> find(String name, Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM server WHERE name = ?")
                .param(name).query((rs, row) -> map(rs, now)).optional();
    }

    public List<Server> findAll(Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM server ORDER BY name")
                .query((rs, row) -> map(rs, now)).list();
    }

    public boolean exists(String name) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM server WHERE name = ?)").param(name)
                .query(Boolean.class).single();
    }

    /** Whether a registered database reads its password from this variable (it may then not be a callout's). */
    boolean isDatabasePasswordEnv(String env) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM database_endpoint WHERE password_env = ?)").param(env)
                .query(Boolean.class).single();
    }

    /** Those of {@code names} that are registered servers. */
    Set<String> existing(Collection<String> names) {
        return Set.copyOf(jdbc.sql("SELECT name FROM server WHERE name = ANY (?::text[])")
                .param(names.toArray(String[]::new)).query(String.class).list());
    }

    /** Inserts or replaces the configuration of a server, keeping its last ping; true when inserted. */
    boolean upsert(String name, ServerRequest request, Instant now) {
        return jdbc.sql("""
                        INSERT INTO server AS s
                            (name, kind, site, standby, unresponsive_period_seconds, created_at, updated_at,
                             reconnect_url, assignment_url, callout_username, callout_password_env)
                        VALUES (:name, :kind, :site, :standby, :period, :now, :now,
                                :reconnectUrl, :assignmentUrl, :calloutUsername, :calloutPasswordEnv)
                        ON CONFLICT (name) DO UPDATE SET
                            kind = EXCLUDED.kind, site = EXCLUDED.site, standby = EXCLUDED.standby,
                            unresponsive_period_seconds = EXCLUDED.unresponsive_period_seconds,
                            updated_at = EXCLUDED.updated_at,
                            reconnect_url = EXCLUDED.reconnect_url, assignment_url = EXCLUDED.assignment_url,
                            callout_username = EXCLUDED.callout_username,
                            callout_password_env = EXCLUDED.callout_password_env
                        RETURNING (xmax = 0) AS inserted""")
                .param("name", name)
                .param("kind", request.kind().value())
                .param("site", request.site())
                .param("standby", request.standby())
                .param("period", request.periodOrDefault())
                .param("reconnectUrl", request.reconnectUrl())
                .param("assignmentUrl", request.assignmentUrl())
                .param("calloutUsername", request.calloutAuth() == null ? null : request.calloutAuth().username())
                .param("calloutPasswordEnv", request.calloutAuth() == null ? null : request.calloutAuth().passwordEnv())
                .param("now", Sql.timestamp(now))
                .query(Boolean.class).single();
    }

    /**
     * A ping is written only when it is at least this much newer than the stored one: the lesser
     * of 1 second and a tenth of the server's unresponsive period. A sender that beats several
     * times a second then costs one row write a second instead of one per request (no row lock,
     * no WAL, no commit flush for the others), and the stored ping is never further behind the
     * true last one than a tenth of the period that decides Down. {@code s} is the server row.
     */
    static final String PING_RESOLUTION =
            "least(interval '1 second', s.unresponsive_period_seconds * interval '100 milliseconds')";

    /**
     * Records a ping (never moving the stored one backwards, and within {@link #PING_RESOLUTION});
     * false when no such server exists. One statement: the conditional update and the existence
     * check, so a ping that is not written costs a read only.
     */
    boolean ping(String name, Instant at) {
        return jdbc.sql("""
                        WITH written AS (
                            UPDATE server s SET last_ping_at = CAST(:at AS timestamptz)
                            WHERE s.name = :name
                              AND (s.last_ping_at IS NULL OR s.last_ping_at <= CAST(:at AS timestamptz) - %s)
                            RETURNING s.name)
                        SELECT EXISTS (SELECT 1 FROM written) OR EXISTS (SELECT 1 FROM server WHERE name = :name)"""
                        .formatted(PING_RESOLUTION))
                .param("at", Sql.timestamp(at)).param("name", name)
                .query(Boolean.class).single();
    }

    /**
     * Records a batch of pings in one statement (the latest per server wins, and a stored ping
     * never moves backwards; rows already up to date within {@link #PING_RESOLUTION} are not
     * rewritten) and returns the names of the batch that are not registered servers.
     */
    List<String> pingAll(String[] names, String[] times) {
        return jdbc.sql("""
                        WITH beat AS (
                            SELECT u.name, max(u.at) AS at
                            FROM unnest(?::text[], ?::timestamptz[]) AS u(name, at)
                            GROUP BY u.name),
                        -- Rows are locked in name order before the update, so two batches that
                        -- overlap wait for each other instead of deadlocking.
                        locked AS MATERIALIZED (
                            SELECT s.name FROM server s JOIN beat b ON b.name = s.name
                            WHERE s.last_ping_at IS NULL OR s.last_ping_at <= b.at - %1$s
                            ORDER BY s.name
                            FOR UPDATE OF s),
                        written AS (
                            UPDATE server s SET last_ping_at = b.at
                            FROM beat b
                            WHERE s.name = b.name AND s.name IN (SELECT name FROM locked)
                              AND (s.last_ping_at IS NULL OR s.last_ping_at <= b.at - %1$s)
                            RETURNING s.name)
                        SELECT b.name FROM beat b
                        WHERE NOT EXISTS (SELECT 1 FROM server s WHERE s.name = b.name)
                        ORDER BY b.name""".formatted(PING_RESOLUTION))
                .param(names).param(times)
                .query(String.class).list();
    }

    private static Server map(ResultSet rs, Instant now) throws SQLException {
        Instant lastPing = Sql.instant(rs, "last_ping_at");
        int period = rs.getInt("unresponsive_period_seconds");
        return new Server(rs.getString("name"), ServerKind.of(rs.getString("kind")), rs.getString("site"),
                rs.getString("standby"), period, lastPing, ServerStatus.derive(lastPing, period, now),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"), rs.getString("reconnect_url"),
                rs.getString("assignment_url"), rs.getString("callout_username") == null ? null
                        : new CalloutAuth(rs.getString("callout_username"), rs.getString("callout_password_env")));
    }
}

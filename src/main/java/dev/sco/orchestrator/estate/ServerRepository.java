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
            "name, kind, site, standby, unresponsive_period_seconds, last_ping_at, created_at, updated_at";

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

    /** Those of {@code names} that are registered servers. */
    Set<String> existing(Collection<String> names) {
        return Set.copyOf(jdbc.sql("SELECT name FROM server WHERE name = ANY (?::text[])")
                .param(names.toArray(String[]::new)).query(String.class).list());
    }

    /** Inserts or replaces the configuration of a server, keeping its last ping; true when inserted. */
    boolean upsert(String name, ServerRequest request, Instant now) {
        return jdbc.sql("""
                        INSERT INTO server AS s
                            (name, kind, site, standby, unresponsive_period_seconds, created_at, updated_at)
                        VALUES (:name, :kind, :site, :standby, :period, :now, :now)
                        ON CONFLICT (name) DO UPDATE SET
                            kind = EXCLUDED.kind, site = EXCLUDED.site, standby = EXCLUDED.standby,
                            unresponsive_period_seconds = EXCLUDED.unresponsive_period_seconds,
                            updated_at = EXCLUDED.updated_at
                        RETURNING (xmax = 0) AS inserted""")
                .param("name", name)
                .param("kind", request.kind().value())
                .param("site", request.site())
                .param("standby", request.standby())
                .param("period", request.periodOrDefault())
                .param("now", Sql.timestamp(now))
                .query(Boolean.class).single();
    }

    /** Records a ping (never moving the stored one backwards); false when no such server exists. */
    boolean ping(String name, Instant at) {
        return jdbc.sql("UPDATE server SET last_ping_at = GREATEST(last_ping_at, ?) WHERE name = ?")
                .param(Sql.timestamp(at)).param(name)
                .update() == 1;
    }

    /**
     * Records a batch of pings in one statement (the latest per server wins, and a stored ping
     * never moves backwards; rows already up to date are not rewritten) and returns the names of
     * the batch that are not registered servers.
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
                            WHERE s.last_ping_at IS NULL OR s.last_ping_at < b.at
                            ORDER BY s.name
                            FOR UPDATE OF s),
                        written AS (
                            UPDATE server s SET last_ping_at = GREATEST(s.last_ping_at, b.at)
                            FROM beat b
                            WHERE s.name = b.name AND s.name IN (SELECT name FROM locked)
                              AND (s.last_ping_at IS NULL OR s.last_ping_at < b.at)
                            RETURNING s.name)
                        SELECT b.name FROM beat b
                        WHERE NOT EXISTS (SELECT 1 FROM server s WHERE s.name = b.name)
                        ORDER BY b.name""")
                .param(names).param(times)
                .query(String.class).list();
    }

    private static Server map(ResultSet rs, Instant now) throws SQLException {
        Instant lastPing = Sql.instant(rs, "last_ping_at");
        int period = rs.getInt("unresponsive_period_seconds");
        return new Server(rs.getString("name"), ServerKind.of(rs.getString("kind")), rs.getString("site"),
                rs.getString("standby"), period, lastPing, ServerStatus.derive(lastPing, period, now),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}

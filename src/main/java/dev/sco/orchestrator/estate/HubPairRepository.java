package dev.sco.orchestrator.estate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code hub_pair} table. Reads are public. */
@Repository
public class HubPairRepository {

    private static final String COLUMNS = "name, primary_hub, secondary_hub, acting_hub, primary_last_heartbeat, "
            + "secondary_last_heartbeat, heartbeat_timeout_seconds, created_at, updated_at";

    /** Last heartbeat of the hub named by the parameter, inside a statement on hub_pair. */
    private static final String BEAT_OF_OLD = "CASE WHEN primary_hub = :old THEN primary_last_heartbeat "
            + "WHEN secondary_hub = :old THEN secondary_last_heartbeat END";
    private static final String BEAT_OF_STANDBY = "CASE WHEN primary_hub = :standby THEN primary_last_heartbeat "
            + "WHEN secondary_hub = :standby THEN secondary_last_heartbeat END";
    private static final String CUTOFF = "(:now - heartbeat_timeout_seconds * interval '1 second')";

    private final JdbcClient jdbc;

    HubPairRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<HubPair> find(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM hub_pair WHERE name = ?").param(name)
                .query(HubPairRepository::map).optional();
    }

    public List<HubPair> findAll() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM hub_pair ORDER BY name").query(HubPairRepository::map).list();
    }

    /**
     * Inserts or reconfigures the pair; true when inserted. A hub that stays in the pair keeps its
     * acting role and last heartbeat even if it moves between primary and secondary; a hub that
     * leaves the pair loses both. When the acting hub leaves, a remaining hub that has been heard
     * from becomes acting (the database refuses a pair without an acting hub once one was heard);
     * a changed membership means the standby must resynchronise.
     */
    boolean upsert(String name, HubPairRequest request, Instant now) {
        return jdbc.sql("""
                        INSERT INTO hub_pair AS h (name, primary_hub, secondary_hub, heartbeat_timeout_seconds,
                                                   created_at, updated_at)
                        VALUES (:name, :primary, :secondary, :timeout, :now, :now)
                        ON CONFLICT (name) DO UPDATE SET
                            primary_hub = EXCLUDED.primary_hub,
                            secondary_hub = EXCLUDED.secondary_hub,
                            heartbeat_timeout_seconds = EXCLUDED.heartbeat_timeout_seconds,
                            acting_hub = CASE
                                WHEN h.acting_hub IN (EXCLUDED.primary_hub, EXCLUDED.secondary_hub) THEN h.acting_hub
                                WHEN h.acting_hub = h.primary_hub AND h.secondary_last_heartbeat IS NOT NULL
                                     AND h.secondary_hub IN (EXCLUDED.primary_hub, EXCLUDED.secondary_hub)
                                    THEN h.secondary_hub
                                WHEN h.acting_hub = h.secondary_hub AND h.primary_last_heartbeat IS NOT NULL
                                     AND h.primary_hub IN (EXCLUDED.primary_hub, EXCLUDED.secondary_hub)
                                    THEN h.primary_hub END,
                            standby_synced_at = CASE
                                WHEN LEAST(h.primary_hub, h.secondary_hub) = LEAST(EXCLUDED.primary_hub, EXCLUDED.secondary_hub)
                                 AND GREATEST(h.primary_hub, h.secondary_hub) = GREATEST(EXCLUDED.primary_hub, EXCLUDED.secondary_hub)
                                THEN h.standby_synced_at END,
                            primary_last_heartbeat = CASE EXCLUDED.primary_hub
                                WHEN h.primary_hub THEN h.primary_last_heartbeat
                                WHEN h.secondary_hub THEN h.secondary_last_heartbeat END,
                            secondary_last_heartbeat = CASE EXCLUDED.secondary_hub
                                WHEN h.primary_hub THEN h.primary_last_heartbeat
                                WHEN h.secondary_hub THEN h.secondary_last_heartbeat END,
                            updated_at = EXCLUDED.updated_at
                        RETURNING (xmax = 0) AS inserted""")
                .param("name", name)
                .param("primary", request.primary())
                .param("secondary", request.secondary())
                .param("timeout", request.timeoutSeconds())
                .param("now", Sql.timestamp(now))
                .query(Boolean.class).single();
    }

    /**
     * Records the hub's heartbeat and, when the pair has no acting hub, makes this hub acting, in
     * one statement: the row lock makes concurrent first heartbeats of both hubs agree on one
     * acting hub. Returns the acting hub, or empty when the pair does not exist or does not
     * contain the hub.
     */
    Optional<String> heartbeat(String pair, String hub, Instant at) {
        return jdbc.sql("""
                        UPDATE hub_pair SET
                            primary_last_heartbeat = CASE WHEN primary_hub = :hub
                                THEN GREATEST(primary_last_heartbeat, :at) ELSE primary_last_heartbeat END,
                            secondary_last_heartbeat = CASE WHEN secondary_hub = :hub
                                THEN GREATEST(secondary_last_heartbeat, :at) ELSE secondary_last_heartbeat END,
                            acting_hub = COALESCE(acting_hub, :hub)
                        WHERE name = :pair AND :hub IN (primary_hub, secondary_hub)
                        RETURNING acting_hub""")
                .param("pair", pair).param("hub", hub).param("at", Sql.timestamp(at))
                .query(String.class).optional();
    }

    private static HubPair map(ResultSet rs, int row) throws SQLException {
        String primary = rs.getString("primary_hub");
        String secondary = rs.getString("secondary_hub");
        String acting = rs.getString("acting_hub");
        String standby = acting == null ? null : acting.equals(primary) ? secondary : primary;
        return new HubPair(rs.getString("name"), primary, secondary, acting, standby,
                Sql.instant(rs, "primary_last_heartbeat"), Sql.instant(rs, "secondary_last_heartbeat"),
                rs.getInt("heartbeat_timeout_seconds"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    /** The acting hub's standby is in step now; written only when that is news, not at every pass. */
    public void markStandbySynced(String pair, String acting, Instant now, boolean changed) {
        jdbc.sql("""
                        UPDATE hub_pair SET standby_synced_at = :now
                         WHERE name = :pair AND acting_hub = :acting AND (standby_synced_at IS NULL OR :changed)""")
                .param("pair", pair).param("acting", acting).param("now", Sql.timestamp(now)).param("changed", changed)
                .update();
    }

    /** The standby is lost: when it returns it must resynchronise before it is ready again. */
    public void markStandbyUnsynced(String pair, String acting) {
        jdbc.sql("UPDATE hub_pair SET standby_synced_at = NULL WHERE name = ? AND acting_hub = ? "
                + "AND standby_synced_at IS NOT NULL").params(pair, acting).update();
    }

    /**
     * Promotes the standby if, at this moment and under the row lock, the old hub is still acting
     * and lost and the standby is alive. Two passes at once (or a late heartbeat of the old hub)
     * cannot both win: the loser finds the condition false and changes nothing.
     */
    public boolean promoteStandby(String pair, String old, String standby, Instant now) {
        return jdbc.sql("UPDATE hub_pair SET acting_hub = :standby, standby_synced_at = NULL, updated_at = :now "
                        + "WHERE name = :pair AND acting_hub = :old AND " + BEAT_OF_OLD + " < " + CUTOFF
                        + " AND " + BEAT_OF_STANDBY + " >= " + CUTOFF)
                .param("pair", pair).param("old", old).param("standby", standby).param("now", Sql.timestamp(now))
                .update() == 1;
    }
}

package dev.sco.orchestrator.standby;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.sco.orchestrator.estate.HubPairRepository;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The standby feature's tables (V9); the operational columns of {@code hub_pair} (acting hub,
 * standby in step) are the estate's and written through its repository.
 */
@Repository
class StandbyRepository {

    private static final String PAIR_COLUMNS = "name, primary_hub, secondary_hub, acting_hub, primary_last_heartbeat, "
            + "secondary_last_heartbeat, heartbeat_timeout_seconds, standby_synced_at";

    private final JdbcClient jdbc;
    private final HubPairRepository hubPairs;

    StandbyRepository(JdbcClient jdbc, HubPairRepository hubPairs) {
        this.jdbc = jdbc;
        this.hubPairs = hubPairs;
    }

    record Definition(String hub, String name, String kind, long version, String definition, Instant updatedAt) {
    }

    record Takeover(String businessKey, String pair, String fromHub, String toHub, Instant takenOverAt,
                    boolean standbyWasSynced, String processInstanceId) {
    }

    record Event(long id, String pair, String kind, String hub, @JsonRawValue String payload, Instant emittedAt,
                 String processInstanceId, String webhookStatus, String webhookDetail) {
    }

    record Situation(String name, boolean needsReevaluation, Instant reevaluationRequestedAt, String requestedBy,
                     Instant evaluatedAt) {
    }

    record Policy(String name, String state, int step, Instant updatedAt, Instant restartedAt, int restartCount,
                  String restartedBy) {
    }

    List<PairState> pairs() {
        return jdbc.sql("SELECT " + PAIR_COLUMNS + " FROM hub_pair ORDER BY name").query(StandbyRepository::pair).list();
    }

    Optional<PairState> pair(String name) {
        return jdbc.sql("SELECT " + PAIR_COLUMNS + " FROM hub_pair WHERE name = ?").param(name)
                .query(StandbyRepository::pair).optional();
    }

    /**
     * Makes the standby's information base equal to the acting hub's: rows whose version differs
     * are copied (one statement, unchanged rows are not touched), rows the acting hub no longer
     * has are removed. Returns how many rows changed.
     */
    int copyDefinitions(String pair, String acting, String standby, Instant now) {
        int copied = jdbc.sql("""
                        INSERT INTO hub_definition AS d (pair, hub, name, kind, version, definition, updated_at)
                        SELECT pair, :standby, name, kind, version, definition, :now
                          FROM hub_definition WHERE pair = :pair AND hub = :acting
                        ON CONFLICT (pair, hub, name) DO UPDATE SET
                            kind = EXCLUDED.kind, version = EXCLUDED.version, definition = EXCLUDED.definition,
                            updated_at = EXCLUDED.updated_at
                        WHERE d.version <> EXCLUDED.version""")
                .param("pair", pair).param("acting", acting).param("standby", standby).param("now", ts(now))
                .update();
        int removed = jdbc.sql("""
                        DELETE FROM hub_definition s
                         WHERE s.pair = :pair AND s.hub = :standby
                           AND NOT EXISTS (SELECT 1 FROM hub_definition a
                                            WHERE a.pair = s.pair AND a.hub = :acting AND a.name = s.name)""")
                .param("pair", pair).param("acting", acting).param("standby", standby).update();
        return copied + removed;
    }

    /** The standby is in step now; written only when that is news, not at every pass. */
    void markSynced(String pair, String acting, Instant now, boolean changed) {
        hubPairs.markStandbySynced(pair, acting, now, changed);
    }

    /** The standby is lost: when it returns it must resynchronise before it is ready again. */
    void markUnsynced(String pair, String acting) {
        hubPairs.markStandbyUnsynced(pair, acting);
    }

    /** See {@link HubPairRepository#promoteStandby}. */
    boolean promote(String pair, String old, String standby, Instant now) {
        return hubPairs.promoteStandby(pair, old, standby, now);
    }

    void insertTakeover(Takeover takeover) {
        jdbc.sql("""
                        INSERT INTO hub_takeover (business_key, pair, from_hub, to_hub, taken_over_at, standby_was_synced,
                                                  process_instance_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(takeover.businessKey(), takeover.pair(), takeover.fromHub(), takeover.toHub(),
                        ts(takeover.takenOverAt()), takeover.standbyWasSynced(), takeover.processInstanceId())
                .update();
    }

    List<Takeover> takeovers(String pair) {
        return jdbc.sql("""
                        SELECT business_key, pair, from_hub, to_hub, taken_over_at, standby_was_synced, process_instance_id
                          FROM hub_takeover WHERE pair = ? ORDER BY taken_over_at DESC LIMIT 100""")
                .param(pair)
                .query((rs, i) -> new Takeover(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        instant(rs, "taken_over_at"), rs.getBoolean(6), rs.getString(7)))
                .list();
    }

    /** Stores a definition reported by a hub with a fresh version; unchanged content keeps its version. */
    Definition putDefinition(String pair, String hub, String name, String kind, String definition, Instant now) {
        jdbc.sql("""
                        INSERT INTO hub_definition AS d (pair, hub, name, kind, version, definition, updated_at)
                        VALUES (:pair, :hub, :name, :kind, nextval('hub_definition_version'), :definition, :now)
                        ON CONFLICT (pair, hub, name) DO UPDATE SET
                            kind = EXCLUDED.kind, version = EXCLUDED.version, definition = EXCLUDED.definition,
                            updated_at = EXCLUDED.updated_at
                        WHERE (d.kind, d.definition) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.definition)""")
                .param("pair", pair).param("hub", hub).param("name", name).param("kind", kind)
                .param("definition", definition).param("now", ts(now))
                .update();
        return jdbc.sql("SELECT hub, name, kind, version, definition, updated_at FROM hub_definition "
                        + "WHERE pair = ? AND hub = ? AND name = ?")
                .params(pair, hub, name).query(StandbyRepository::definition).single();
    }

    List<Definition> definitions(String pair, String hub) {
        return jdbc.sql("SELECT hub, name, kind, version, definition, updated_at FROM hub_definition "
                        + "WHERE pair = ? AND hub = ? ORDER BY name")
                .params(pair, hub).query(StandbyRepository::definition).list();
    }

    /** The event of this kind for this process instance, inserted now or by an earlier try of the step. */
    Event insertEvent(String pair, String kind, String hub, String payload, Instant at, String processInstanceId,
                      String webhookStatus) {
        jdbc.sql("""
                        INSERT INTO hub_event (pair, kind, hub, payload, emitted_at, process_instance_id, webhook_status)
                        VALUES (?, ?, ?, ?::jsonb, ?, ?, ?)
                        ON CONFLICT (process_instance_id, kind) DO NOTHING""")
                .params(pair, kind, hub, payload, ts(at), processInstanceId, webhookStatus).update();
        return jdbc.sql("SELECT " + EVENT_COLUMNS + " FROM hub_event WHERE process_instance_id = ? AND kind = ?")
                .params(processInstanceId, kind).query(StandbyRepository::event).single();
    }

    void webhookResult(long eventId, String status, String detail) {
        jdbc.sql("UPDATE hub_event SET webhook_status = ?, webhook_detail = ? WHERE id = ?")
                .params(status, detail, eventId).update();
    }

    List<Event> events(String pair, int limit) {
        return jdbc.sql("SELECT " + EVENT_COLUMNS + " FROM hub_event WHERE pair = ? ORDER BY emitted_at DESC, id DESC "
                        + "LIMIT ?")
                .params(pair, limit).query(StandbyRepository::event).list();
    }

    private static final String EVENT_COLUMNS = "id, pair, kind, hub, payload::text AS payload, emitted_at, "
            + "process_instance_id, webhook_status, webhook_detail";

    /**
     * Every situation in the acting hub's information base must be evaluated again. Once per
     * takeover: a retried step finds the rows already requested by the same key.
     */
    int requestReevaluation(String pair, String hub, String takeoverKey, Instant now) {
        return jdbc.sql("""
                        INSERT INTO hub_situation AS s (pair, name, needs_reevaluation, reevaluation_requested_at,
                                                        requested_by)
                        SELECT pair, name, true, :now, :key
                          FROM hub_definition WHERE pair = :pair AND hub = :hub AND kind = 'situation'
                        ON CONFLICT (pair, name) DO UPDATE SET
                            needs_reevaluation = true, reevaluation_requested_at = EXCLUDED.reevaluation_requested_at,
                            requested_by = EXCLUDED.requested_by
                        WHERE s.requested_by IS DISTINCT FROM EXCLUDED.requested_by""")
                .param("pair", pair).param("hub", hub).param("key", takeoverKey).param("now", ts(now)).update();
    }

    boolean situationEvaluated(String pair, String name, Instant now) {
        return jdbc.sql("UPDATE hub_situation SET needs_reevaluation = false, evaluated_at = ? WHERE pair = ? AND name = ?")
                .params(ts(now), pair, name).update() == 1;
    }

    List<Situation> situations(String pair) {
        return jdbc.sql("""
                        SELECT name, needs_reevaluation, reevaluation_requested_at, requested_by, evaluated_at
                          FROM hub_situation WHERE pair = ? ORDER BY name""")
                .param(pair)
                .query((rs, i) -> new Situation(rs.getString(1), rs.getBoolean(2),
                        instant(rs, "reevaluation_requested_at"), rs.getString(4), instant(rs, "evaluated_at")))
                .list();
    }

    /** Records a policy's progress as the acting hub reports it; true when the policy is new. */
    boolean putPolicy(String pair, String name, String state, int step, Instant now) {
        return jdbc.sql("""
                        INSERT INTO hub_policy (pair, name, state, step, updated_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (pair, name) DO UPDATE SET
                            state = EXCLUDED.state, step = EXCLUDED.step, updated_at = EXCLUDED.updated_at
                        RETURNING (xmax = 0)""")
                .params(pair, name, state, step, ts(now)).query(Boolean.class).single();
    }

    /** Running policies start again from step 0, once per takeover. */
    int restartPolicies(String pair, String takeoverKey, Instant now) {
        return jdbc.sql("""
                        UPDATE hub_policy SET step = 0, restarted_at = :now, restart_count = restart_count + 1,
                                              restarted_by = :key, updated_at = :now
                         WHERE pair = :pair AND state = 'running' AND restarted_by IS DISTINCT FROM :key""")
                .param("pair", pair).param("key", takeoverKey).param("now", ts(now)).update();
    }

    List<Policy> policies(String pair) {
        return jdbc.sql("""
                        SELECT name, state, step, updated_at, restarted_at, restart_count, restarted_by
                          FROM hub_policy WHERE pair = ? ORDER BY name""")
                .param(pair)
                .query((rs, i) -> new Policy(rs.getString(1), rs.getString(2), rs.getInt(3), instant(rs, "updated_at"),
                        instant(rs, "restarted_at"), rs.getInt(6), rs.getString(7)))
                .list();
    }

    private static PairState pair(ResultSet rs, int row) throws SQLException {
        return new PairState(rs.getString("name"), rs.getString("primary_hub"), rs.getString("secondary_hub"),
                rs.getString("acting_hub"), instant(rs, "primary_last_heartbeat"),
                instant(rs, "secondary_last_heartbeat"), Duration.ofSeconds(rs.getInt("heartbeat_timeout_seconds")),
                instant(rs, "standby_synced_at"));
    }

    private static Definition definition(ResultSet rs, int row) throws SQLException {
        return new Definition(rs.getString("hub"), rs.getString("name"), rs.getString("kind"), rs.getLong("version"),
                rs.getString("definition"), instant(rs, "updated_at"));
    }

    private static Event event(ResultSet rs, int row) throws SQLException {
        return new Event(rs.getLong("id"), rs.getString("pair"), rs.getString("kind"), rs.getString("hub"),
                rs.getString("payload"), instant(rs, "emitted_at"), rs.getString("process_instance_id"),
                rs.getString("webhook_status"), rs.getString("webhook_detail"));
    }

    private static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}

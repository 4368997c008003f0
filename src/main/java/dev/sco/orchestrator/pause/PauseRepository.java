package dev.sco.orchestrator.pause;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Table {@code maintenance_pause} (V23). */
@Repository
class PauseRepository {

    private final JdbcClient jdbc;

    PauseRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts an active pause; the partial unique index refuses a second active one for the target. */
    long insert(TargetKind kind, String name, String reason, String by, Instant at, Instant until) {
        return jdbc.sql("""
                insert into maintenance_pause (target_kind, target_name, reason, paused_by, paused_at, paused_until)
                values (?, ?, ?, ?, ?, ?) returning id""")
                .params(kind.code(), name, reason, by, ts(at), ts(until)).query(Long.class).single();
    }

    Optional<Pause> find(long id) {
        return jdbc.sql("select * from maintenance_pause where id = ?").param(id).query(PauseRepository::pause)
                .optional();
    }

    Optional<Pause> active(TargetKind kind, String name) {
        return jdbc.sql("select * from maintenance_pause where target_kind = ? and target_name = ? and ended_at is null")
                .params(kind.code(), name).query(PauseRepository::pause).optional();
    }

    /** Every active pause and every one awaiting review, then the {@code ended} most recently ended. */
    List<Pause> list(int ended) {
        return jdbc.sql("""
                (select * from maintenance_pause where ended_at is null or review_state = 'pending'
                  order by paused_at desc)
                union all
                (select * from maintenance_pause where ended_at is not null and review_state is distinct from 'pending'
                  order by ended_at desc, id desc limit ?)""")
                .param(ended).query(PauseRepository::pause).list();
    }

    /**
     * Ends the pause if it is still active: one conditional UPDATE, so of two nodes (or the
     * watchdog and an operator) exactly one records the end. Empty when it had already ended.
     */
    Optional<Pause> end(long id, String by, String kind, Instant at) {
        return jdbc.sql("""
                update maintenance_pause set ended_at = ?, ended_by = ?, end_kind = ?
                 where id = ? and ended_at is null returning *""")
                .params(ts(at), by, kind, id).query(PauseRepository::pause).optional();
    }

    /** Active pauses whose {@code until} is at or before {@code now}. */
    List<Long> due(Instant now) {
        return jdbc.sql("select id from maintenance_pause where ended_at is null and paused_until <= ? order by id")
                .param(ts(now)).query(Long.class).list();
    }

    void recordEnd(long id, String health, boolean unhealthy, String reviewState, String processInstanceId) {
        jdbc.sql("""
                update maintenance_pause set health_at_end = ?, unhealthy_at_end = ?, review_state = ?,
                       review_process_instance_id = ? where id = ?""")
                .params(health, unhealthy, reviewState, processInstanceId, id).update();
    }

    /** Closes a pending review ({@code done} or {@code cancelled}); false when it was not pending. */
    boolean closeReview(long id, String state, String by, Instant at, String note) {
        return jdbc.sql("""
                update maintenance_pause set review_state = ?, reviewed_by = ?, reviewed_at = ?, review_note = ?
                 where id = ? and review_state = 'pending'""")
                .params(state, by, ts(at), note, id).update() == 1;
    }

    /** What holds the sensors off targets of a kind: active pauses and pending reviews, one per target. */
    List<Pauses.Hold> held(TargetKind kind) {
        return jdbc.sql("""
                select distinct on (target_name) * from maintenance_pause
                 where target_kind = ? and (ended_at is null or review_state = 'pending')
                 order by target_name, (ended_at is null) desc, id desc""")
                .param(kind.code())
                .query((rs, i) -> new Pauses.Hold(rs.getLong("id"), kind, rs.getString("target_name"),
                        rs.getTimestamp("ended_at") != null, rs.getString("reason"), rs.getString("paused_by"),
                        instant(rs, "paused_until"), instant(rs, "ended_at"),
                        rs.getString("review_process_instance_id")))
                .list();
    }

    private static Pause pause(ResultSet rs, int row) throws SQLException {
        Instant endedAt = instant(rs, "ended_at");
        String reviewState = rs.getString("review_state");
        String state = endedAt == null ? Pause.ACTIVE : "pending".equals(reviewState) ? Pause.AWAITING_REVIEW
                : Pause.ENDED;
        return new Pause(rs.getLong("id"),
                new Pause.Target(TargetKind.of(rs.getString("target_kind")).orElseThrow(), rs.getString("target_name")),
                rs.getString("reason"), rs.getString("paused_by"), instant(rs, "paused_at"),
                instant(rs, "paused_until"), state, endedAt, rs.getString("ended_by"), rs.getString("end_kind"),
                rs.getString("health_at_end"), (Boolean) rs.getObject("unhealthy_at_end"), reviewState,
                rs.getString("review_process_instance_id"), rs.getString("reviewed_by"), instant(rs, "reviewed_at"),
                rs.getString("review_note"));
    }

    private static Timestamp ts(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}

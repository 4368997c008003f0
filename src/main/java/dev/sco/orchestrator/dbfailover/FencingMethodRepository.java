package dev.sco.orchestrator.dbfailover;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Fencing methods per database, the attempts of each fence and unfence, and a failover's fence state. */
@Repository
class FencingMethodRepository {

    private final JdbcClient jdbc;

    FencingMethodRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<FencingMethod> methods(String database) {
        return jdbc.sql("select * from fencing_method where database = ? order by position").param(database)
                .query(FencingMethodRepository::method).list();
    }

    /** The methods a fence of {@code database} tries: the registered ones, or {@code sql} alone. */
    List<FencingMethod> effectiveMethods(String database) {
        List<FencingMethod> methods = methods(database);
        return methods.isEmpty() ? List.of(FencingMethod.defaultSql()) : methods;
    }

    /** Whether the database can be fenced by something other than the orchestrator's own SQL fence. */
    boolean hasMethodBesidesSql(String database) {
        return jdbc.sql("select exists (select 1 from fencing_method where database = ? and kind <> 'sql')")
                .param(database).query(Boolean.class).single();
    }

    /** Locks the endpoint row (so two replacements of one database's methods queue up); false when unknown. */
    boolean lockDatabase(String database) {
        return jdbc.sql("select name from database_endpoint where name = ? for update").param(database)
                .query(String.class).optional().isPresent();
    }

    boolean databaseExists(String database) {
        return jdbc.sql("select exists (select 1 from database_endpoint where name = ?)").param(database)
                .query(Boolean.class).single();
    }

    void replace(String database, List<FencingMethod> methods, String user, Instant at) {
        jdbc.sql("delete from fencing_method where database = ?").param(database).update();
        for (FencingMethod m : methods) {
            jdbc.sql("""
                    insert into fencing_method (database, position, kind, url, username, password_env, timeout_ms,
                                                only_writers, updated_at, updated_by)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(database, m.position(), m.kind(), m.url(), m.username(), m.passwordEnv(),
                            m.timeout() == null ? null : (int) m.timeout().toMillis(), m.onlyWriters(),
                            Timestamp.from(at), user)
                    .update();
        }
    }

    /** One attempt of a fence or unfence, as it is written (autocommit when outside a transaction). */
    record Attempt(long id, long operationId, String database, String action, String kind, Integer position,
                   String outcome, String detail, String agentMethod, String evidence, String url, String username,
                   String passwordEnv, Duration timeout, Instant attemptedAt) {
    }

    void recordAttempt(long operationId, String database, String action, FencingMethod method, String outcome,
                       String detail, String agentMethod, String evidence, Instant at) {
        boolean agent = FencingMethod.AGENT.equals(method.kind());
        jdbc.sql("""
                insert into fence_attempt (operation_id, database, action, kind, position, outcome, detail,
                                           agent_method, evidence, url, username, password_env, timeout_ms,
                                           attempted_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(operationId, database, action, method.kind(), method.updatedAt() == null ? null
                                : method.position(), outcome, detail, agentMethod, evidence,
                        agent ? method.url() : null, agent ? method.username() : null,
                        agent ? method.passwordEnv() : null,
                        agent ? (int) method.timeout().toMillis() : null, Timestamp.from(at))
                .update();
    }

    List<Attempt> attempts(long operationId) {
        return jdbc.sql("select * from fence_attempt where operation_id = ? order by id").param(operationId)
                .query(FencingMethodRepository::attempt).list();
    }

    /** The attempt that confirmed the fence of {@code database} by operation {@code operationId}. */
    Optional<Attempt> confirmingAttempt(long operationId, String database) {
        return jdbc.sql("""
                select * from fence_attempt where operation_id = ? and database = ? and action = 'fence'
                   and outcome = 'fenced' order by id desc limit 1""")
                .params(operationId, database).query(FencingMethodRepository::attempt).optional();
    }

    /** Whether operation {@code operationId} already lifted a {@code kind} fence of {@code database}. */
    boolean unfenced(long operationId, String database, String kind) {
        return jdbc.sql("""
                select exists (select 1 from fence_attempt where operation_id = ? and database = ? and kind = ?
                                  and action = 'unfence' and outcome = 'unfenced')""")
                .params(operationId, database, kind).query(Boolean.class).single();
    }

    /** A failover's fence: which method confirmed it, and whether the writers are still to confirm. */
    record FenceState(Boolean fenced, String fencedBy, boolean writersPending, String acknowledgedBy) {
    }

    FenceState fenceState(long operationId) {
        return jdbc.sql("""
                select fenced, fenced_by, fence_writers_pending, unfenced_acknowledged_by
                  from continuity_operation where id = ?""")
                .param(operationId)
                .query((rs, i) -> new FenceState((Boolean) rs.getObject(1), rs.getString(2), rs.getBoolean(3),
                        rs.getString(4)))
                .single();
    }

    /** The fence step's outcome: fenced (by which method), or not, and whether the writers decide later. */
    void recordFence(long operationId, boolean fenced, String fencedBy, boolean writersPending, String detail) {
        jdbc.sql("""
                update continuity_operation set fenced = ?, fenced_by = ?, fence_writers_pending = ?,
                       fence_detail = ?, state = 'switching'
                 where id = ?""")
                .params(fenced, fencedBy, writersPending, detail, operationId).update();
    }

    /** The writers' verdict, after the consumers were told to reconnect. */
    void recordWriters(long operationId, boolean confirmed, String detail) {
        jdbc.sql("""
                update continuity_operation set fenced = ?, fenced_by = case when ? then 'writers' end,
                       fence_writers_pending = false, fence_detail = ?
                 where id = ? and fence_writers_pending""")
                .params(confirmed, confirmed, detail, operationId).update();
    }

    private static FencingMethod method(ResultSet rs, int row) throws SQLException {
        int timeout = rs.getInt("timeout_ms");
        Duration t = rs.wasNull() ? null : Duration.ofMillis(timeout);
        return new FencingMethod(rs.getInt("position"), rs.getString("kind"), rs.getString("url"),
                rs.getString("username"), rs.getString("password_env"), t, (Boolean) rs.getObject("only_writers"),
                rs.getTimestamp("updated_at").toInstant(), rs.getString("updated_by"));
    }

    private static Attempt attempt(ResultSet rs, int row) throws SQLException {
        int timeout = rs.getInt("timeout_ms");
        Duration t = rs.wasNull() ? null : Duration.ofMillis(timeout);
        int position = rs.getInt("position");
        Integer p = rs.wasNull() ? null : position;
        return new Attempt(rs.getLong("id"), rs.getLong("operation_id"), rs.getString("database"),
                rs.getString("action"), rs.getString("kind"), p, rs.getString("outcome"), rs.getString("detail"),
                rs.getString("agent_method"), rs.getString("evidence"), rs.getString("url"), rs.getString("username"),
                rs.getString("password_env"), t, rs.getTimestamp("attempted_at").toInstant());
    }
}

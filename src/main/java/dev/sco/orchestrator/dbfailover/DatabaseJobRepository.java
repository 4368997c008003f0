package dev.sco.orchestrator.dbfailover;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import dev.sco.orchestrator.platform.continuity.GroomingSchedules;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The database jobs registered per database ({@code database_job}) and what each failover or
 * restoration did to them ({@code database_job_result}). Also the grooming schedules the sync's
 * maintenance window follows.
 */
@Repository
class DatabaseJobRepository implements GroomingSchedules {

    private final JdbcClient jdbc;

    DatabaseJobRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<DatabaseJob> jobs(String database) {
        return jdbc.sql("select * from database_job where database = ? order by position nulls last, name")
                .param(database).query(DatabaseJobRepository::job).list();
    }

    /** Locks the endpoint row (two replacements of one database's jobs queue up); false when unknown. */
    boolean lockDatabase(String database) {
        return jdbc.sql("select name from database_endpoint where name = ? for update").param(database)
                .query(String.class).optional().isPresent();
    }

    boolean databaseExists(String database) {
        return jdbc.sql("select exists (select 1 from database_endpoint where name = ?)").param(database)
                .query(Boolean.class).single();
    }

    /**
     * Replaces the jobs of a database; a job that keeps its name keeps the state the orchestrator
     * last set for it.
     */
    void replace(String database, List<DatabaseJob> jobs, String user, Instant at) {
        jdbc.sql("delete from database_job where database = ? and not (name = any(?::text[]))")
                .params(database, jobs.stream().map(DatabaseJob::name).toArray(String[]::new)).update();
        int position = 0;
        for (DatabaseJob job : jobs) {
            jdbc.sql("""
                    insert into database_job (database, name, kind, enabled, updated_at, enable_sql, disable_sql,
                                              schedule, schedule_zone, expected_duration_ms, position, updated_by)
                    values (?, ?, ?, null, ?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (database, name) do update
                       set kind = excluded.kind, enable_sql = excluded.enable_sql,
                           disable_sql = excluded.disable_sql, schedule = excluded.schedule,
                           schedule_zone = excluded.schedule_zone,
                           expected_duration_ms = excluded.expected_duration_ms, position = excluded.position,
                           updated_by = excluded.updated_by, updated_at = excluded.updated_at""")
                    .params(database, job.name(), job.kind(), Timestamp.from(at), job.enableSql(), job.disableSql(),
                            job.schedule(), job.scheduleZone(),
                            job.expectedDuration() == null ? null : job.expectedDuration().toMillis(), position++, user)
                    .update();
        }
    }

    /** Records the state a step set (only for jobs whose statement succeeded, or that have none). */
    void setEnabled(String database, String job, boolean enabled, Instant at) {
        jdbc.sql("update database_job set enabled = ?, changed_at = ? where database = ? and name = ?")
                .params(enabled, Timestamp.from(at), database, job).update();
    }

    /** One result of an enable or disable statement, written as it happens (autocommit outside a transaction). */
    record Result(long id, long operationId, String database, String job, String action, String outcome,
                  String detail, String statement, Instant at) {
    }

    void recordResult(long operationId, String database, String job, String action, String outcome, String detail,
                      String statement, Instant at) {
        jdbc.sql("""
                insert into database_job_result (operation_id, database, job, action, outcome, detail, statement, at)
                values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(operationId, database, job, action, outcome, detail, statement, Timestamp.from(at)).update();
    }

    /** Whether the operation already ran this action of this job on this database successfully. */
    boolean succeeded(long operationId, String database, String job, String action) {
        return jdbc.sql("""
                select exists (select 1 from database_job_result where operation_id = ? and database = ? and job = ?
                                  and action = ? and outcome in ('ok', 'flag-only'))""")
                .params(operationId, database, job, action).query(Boolean.class).single();
    }

    List<Result> results(long operationId) {
        return jdbc.sql("select * from database_job_result where operation_id = ? order by id").param(operationId)
                .query((rs, i) -> new Result(rs.getLong("id"), rs.getLong("operation_id"), rs.getString("database"),
                        rs.getString("job"), rs.getString("action"), rs.getString("outcome"), rs.getString("detail"),
                        rs.getString("statement"), rs.getTimestamp("at").toInstant()))
                .list();
    }

    @Override
    public Optional<Grooming> of(String database) {
        return jdbc.sql("""
                select name, schedule, schedule_zone, expected_duration_ms from database_job
                 where database = ? and kind = 'grooming' and schedule is not null""")
                .param(database)
                .query((rs, i) -> new Grooming(database, rs.getString(1), rs.getString(2), ZoneId.of(rs.getString(3)),
                        Duration.ofMillis(rs.getLong(4))))
                .optional();
    }

    private static DatabaseJob job(ResultSet rs, int row) throws SQLException {
        long duration = rs.getLong("expected_duration_ms");
        Duration expected = rs.wasNull() ? null : Duration.ofMillis(duration);
        Timestamp changed = rs.getTimestamp("changed_at");
        Timestamp updated = rs.getTimestamp("updated_at");
        return new DatabaseJob(rs.getString("database"), rs.getString("name"),
                DatabaseJob.GROOMING.equals(rs.getString("kind")), rs.getString("enable_sql"),
                rs.getString("disable_sql"), rs.getString("schedule"), rs.getString("schedule_zone"), expected,
                (Boolean) rs.getObject("enabled"), rs.getObject("enabled") == null ? null : changed.toInstant(),
                updated == null ? null : updated.toInstant(), rs.getString("updated_by"));
    }
}

package dev.sco.orchestrator.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sync tables of the orchestrator database. Every write commits on its own: the run log must
 * keep what happened even when the caller's transaction (an engine job running a full
 * resynchronisation) rolls back. A run's start and end take several statements in a transaction
 * of their own (REQUIRES_NEW); its progress (task records, heartbeats, checkpoints) is one
 * statement per write, committed by itself in auto-commit where no caller's transaction can take
 * it in: one round trip instead of a transaction's three.
 */
@Repository
class SyncRepository {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SyncRepository.class);

    /** {@code stopped_reason} of a pair stopped by a failover (its StopSync step); only a restoration lifts it. */
    static final String STOPPED_FOR_FAILOVER = "failover";

    private final JdbcClient jdbc;
    private final JdbcClient progress;
    private final TransactionTemplate own;

    SyncRepository(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        // A wrapper the transaction manager does not know: no transaction is ever bound to it, so
        // each statement gets a connection of its own in auto-commit.
        this.progress = JdbcClient.create(new DelegatingDataSource(dataSource));
        this.own = new TransactionTemplate(transactionManager);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** The is-running flag and readiness of a pair. */
    record State(String database, Long runningRunId, Instant runningSince, String runningNode, Instant heartbeatAt,
                 int consecutiveFailures, Instant stoppedAt, String stoppedReason) {

        boolean running() {
            return runningRunId != null;
        }
    }

    /**
     * A task of a run. Its range is {@code rangeAfter}/{@code rangeUpTo} for a timestamptz
     * increment column, {@code valueAfter}/{@code valueUpTo} (the column's values as text) for
     * any other.
     */
    record Task(int position, String table, String kind, Instant rangeAfter, Instant rangeUpTo, Instant startedAt,
                Instant endedAt, String result, long rowsCopied, long rowsRemoved, String error, String valueAfter,
                String valueUpTo) {
    }

    record Run(long id, String database, String failover, String kind, String node, String requestedBy,
               Instant startedAt, Instant checkpoint, Instant endedAt, String result, String error, List<Task> tasks) {
    }

    record Checkpoint(String table, Instant checkpoint, long rowsCopied, Instant updatedAt) {
    }

    /**
     * Opens a run and takes the pair's is-running flag with one conditional UPDATE, so two nodes
     * asking at once get one run between them. Empty when a run holds the flag.
     */
    Optional<Long> begin(String database, String failover, String kind, String node, String requestedBy, Instant now) {
        return begin(database, failover, kind, node, requestedBy, now, null);
    }

    /**
     * As {@link #begin(String, String, String, String, String, Instant)}; with {@code quietSince}, a
     * run holding the flag whose node has left the Quartz cluster (see {@link #leftTheCluster}) and
     * whose heartbeat is older than {@code quietSince} is recorded abandoned and this run takes the
     * flag over, in the same transaction. Without it a node killed during a run (SIGKILL, power
     * loss) kept the pair from running until someone reset it by hand after the stale period.
     */
    Optional<Long> begin(String database, String failover, String kind, String node, String requestedBy, Instant now,
                         Instant quietSince) {
        return own.execute(tx -> {
            jdbc.sql("insert into sync_state (database) values (:db) on conflict do nothing").param("db", database)
                    .update();
            long runId = jdbc.sql("""
                            insert into sync_run (database, failover, kind, node, requested_by, started_at, result)
                            values (:db, :failover, :kind, :node, :by, :now, 'running') returning id""")
                    .param("db", database).param("failover", failover).param("kind", kind).param("node", node)
                    .param("by", requestedBy).param("now", ts(now))
                    .query(Long.class).single();
            int taken = jdbc.sql("""
                            update sync_state set running_run_id = :run, running_since = :now, running_node = :node,
                                                  heartbeat_at = :now
                            where database = :db and running_run_id is null""")
                    .param("run", runId).param("now", ts(now)).param("node", node).param("db", database).update();
            if (taken == 0 && quietSince != null) {
                taken = takeOverFromDeadNode(database, runId, node, now, quietSince);
            }
            if (taken == 0) {
                tx.setRollbackOnly();
                return Optional.<Long>empty();
            }
            return Optional.of(runId);
        });
    }

    /** Prefix of the Quartz scheduler instance id in a node name ({@code host/pid/application/quartz:<instance>}). */
    static final String QUARTZ_INSTANCE = "/quartz:";

    /**
     * Whether the node that wrote {@code node} is gone: its Quartz scheduler instance is no longer
     * in the cluster's state table. Quartz removes a node from it once the node has missed its
     * check-ins and another node has recovered its triggers, i.e. only for a node that stopped.
     * A name without an instance (written before names carried one) is never judged gone.
     */
    boolean leftTheCluster(String node) {
        int at = node == null ? -1 : node.lastIndexOf(QUARTZ_INSTANCE);
        if (at < 0) {
            return false;
        }
        String instance = node.substring(at + QUARTZ_INSTANCE.length());
        return !jdbc.sql("select exists (select 1 from qrtz_scheduler_state where instance_name = :instance)")
                .param("instance", instance).query(Boolean.class).single();
    }

    private int takeOverFromDeadNode(String database, long runId, String node, Instant now, Instant quietSince) {
        Optional<State> held = jdbc.sql("""
                        select running_run_id, running_node, heartbeat_at from sync_state
                         where database = :db and running_run_id is not null for update""")
                .param("db", database)
                .query((rs, i) -> new State(database, rs.getLong(1), null, rs.getString(2), instant(rs, 3), 0, null,
                        null))
                .optional();
        if (held.isEmpty() || held.get().heartbeatAt() == null || !held.get().heartbeatAt().isBefore(quietSince)
                || !leftTheCluster(held.get().runningNode())) {
            return 0;
        }
        long dead = held.get().runningRunId();
        log.warn("Sync of {}: run {} of {} abandoned, its node left the cluster; run {} takes the pair over",
                database, dead, held.get().runningNode(), runId);
        jdbc.sql("""
                        update sync_run set result = 'abandoned', ended_at = :now,
                                            error = coalesce(error, :why)
                        where id = :run and result = 'running'""")
                .param("run", dead).param("now", ts(now))
                .param("why", "node " + held.get().runningNode() + " left the cluster during the run (its scheduler "
                        + "stopped checking in); run " + runId + " on " + node + " took the pair over")
                .update();
        jdbc.sql("""
                        update sync_task set result = 'failed', ended_at = :now, error = 'run abandoned: its node left the cluster'
                        where run_id = :run and result = 'running'""")
                .param("run", dead).param("now", ts(now)).update();
        return jdbc.sql("""
                        update sync_state set running_run_id = :run, running_since = :now, running_node = :node,
                                              heartbeat_at = :now
                        where database = :db and running_run_id = :dead""")
                .param("run", runId).param("now", ts(now)).param("node", node).param("db", database)
                .param("dead", dead).update();
    }

    Optional<State> state(String database) {
        return jdbc.sql("""
                        select database, running_run_id, running_since, running_node, heartbeat_at,
                               consecutive_failures, stopped_at, stopped_reason
                        from sync_state where database = :db""")
                .param("db", database)
                .query((rs, i) -> new State(rs.getString(1), (Long) rs.getObject(2), instant(rs, 3), rs.getString(4),
                        instant(rs, 5), rs.getInt(6), instant(rs, 7), rs.getString(8)))
                .optional();
    }

    void heartbeat(String database, long runId, Instant now) {
        progress.sql(
                        "update sync_state set heartbeat_at = :now where database = :db and running_run_id = :run")
                .param("now", ts(now)).param("db", database).param("run", runId).update();
    }

    void setRunCheckpoint(long runId, Instant checkpoint) {
        progress.sql("update sync_run set checkpoint = :cp where id = :id")
                .param("cp", ts(checkpoint)).param("id", runId).update();
    }

    void startTask(long runId, int position, SyncTable table, TableCopier.Plan plan, Instant now) {
        progress.sql("""
                        insert into sync_task (run_id, position, table_name, kind, range_after, range_up_to,
                                               value_after, value_up_to, started_at, result)
                        values (:run, :pos, :table, :kind, :after, :upTo, :valueAfter, :valueUpTo, :now, 'running')""")
                .param("run", runId).param("pos", position).param("table", table.table().toString())
                .param("kind", plan.whole() ? "whole" : table.kind().label())
                .param("after", plan.after() instanceof Instant i ? ts(i) : null)
                .param("upTo", plan.upTo() instanceof Instant i ? ts(i) : null)
                .param("valueAfter", plan.after() instanceof Instant ? null : IncrementType.text(plan.after()))
                .param("valueUpTo", plan.upTo() instanceof Instant ? null : IncrementType.text(plan.upTo()))
                .param("now", ts(now)).update();
    }

    void taskProgress(long runId, int position, long rows) {
        progress.sql(
                        "update sync_task set rows_copied = :rows where run_id = :run and position = :pos")
                .param("rows", rows).param("run", runId).param("pos", position).update();
    }

    /**
     * Ends a task; a succeeded one moves its table's checkpoint in the same transaction. The run's
     * heartbeat moves with it: one statement and one commit per task for all three.
     */
    void endTask(long runId, String database, int position, SyncTable table, boolean succeeded, long rowsCopied,
                 long rowsRemoved, String error, Instant checkpoint, Instant now) {
        if (succeeded && checkpoint == null) {
            throw new IllegalArgumentException("a succeeded task moves its table's checkpoint: checkpoint is missing");
        }
        progress.sql("""
                        with task as (
                            update sync_task set result = :result, rows_copied = :rows, rows_removed = :removed,
                                                 error = :error, ended_at = :now
                            where run_id = :run and position = :pos
                            returning 1),
                        beat as (
                            update sync_state set heartbeat_at = :now where database = :db and running_run_id = :run
                            returning 1),
                        moved as (
                            insert into sync_checkpoint (database, table_name, checkpoint, rows_copied, updated_at)
                            select :db, :table, cast(:cp as timestamptz), :rows, :now where :succeeded
                            on conflict (database, table_name) do update
                                set checkpoint = excluded.checkpoint, rows_copied = excluded.rows_copied,
                                    updated_at = excluded.updated_at
                            returning 1)
                        select (select count(*) from task) + (select count(*) from beat)
                               + (select count(*) from moved)""")
                .param("result", succeeded ? "succeeded" : "failed").param("rows", rowsCopied)
                .param("removed", rowsRemoved).param("error", error).param("now", ts(now))
                .param("run", runId).param("pos", position).param("db", database)
                .param("table", table.table().toString()).param("cp", ts(checkpoint)).param("succeeded", succeeded)
                .query((rs, i) -> rs.getLong(1)).single();
    }

    /**
     * The largest value a task of the table copied up to at the last checkpoint at or before
     * {@code atOrBefore}; null when none is recorded that early (the range is then open below).
     */
    Object valueBefore(String database, String table, Instant atOrBefore, IncrementType type) {
        return jdbc.sql("""
                        select value from sync_checkpoint_value
                         where database = :db and table_name = :table and checkpoint <= :at
                         order by checkpoint desc limit 1""")
                .param("db", database).param("table", table).param("at", ts(atOrBefore))
                .query(String.class).optional().map(type::parse).orElse(null);
    }

    /**
     * Records the value a succeeded task copied up to, and forgets the values no later run can
     * need: those older than the newest one recorded at least {@code overlap} before this checkpoint.
     */
    void recordValue(String database, String table, Instant checkpoint, Object value, java.time.Duration overlap) {
        progress.sql("""
                        with added as (
                            insert into sync_checkpoint_value (database, table_name, checkpoint, value)
                            values (:db, :table, :cp, :value)
                            on conflict (database, table_name, checkpoint) do update set value = excluded.value
                            returning 1)
                        delete from sync_checkpoint_value
                         where database = :db and table_name = :table
                           and checkpoint < (select max(checkpoint) from sync_checkpoint_value
                                              where database = :db and table_name = :table and checkpoint <= :oldest)""")
                .param("db", database).param("table", table).param("cp", ts(checkpoint))
                .param("value", IncrementType.text(value)).param("oldest", ts(checkpoint.minus(overlap)))
                .update();
    }

    Map<String, Instant> checkpoints(String database) {
        Map<String, Instant> checkpoints = new HashMap<>();
        checkpointRows(database).forEach(c -> checkpoints.put(c.table(), c.checkpoint()));
        return checkpoints;
    }

    List<Checkpoint> checkpointRows(String database) {
        return jdbc.sql("""
                        select table_name, checkpoint, rows_copied, updated_at from sync_checkpoint
                        where database = :db order by table_name""")
                .param("db", database)
                .query((rs, i) -> new Checkpoint(rs.getString(1), instant(rs, 2), rs.getLong(3), instant(rs, 4)))
                .list();
    }

    /**
     * Ends a run, releases the flag if this run still holds it, and counts consecutive failures.
     * Returns the new count of consecutive failures.
     */
    int endRun(String database, long runId, boolean succeeded, String error, Instant now) {
        return own.execute(tx -> {
            jdbc.sql("""
                            update sync_run set result = :result, error = :error, ended_at = :now
                            where id = :id and result = 'running'""")
                    .param("result", succeeded ? "succeeded" : "failed").param("error", error).param("now", ts(now))
                    .param("id", runId).update();
            return jdbc.sql("""
                            update sync_state
                            set running_run_id = case when running_run_id = :run then null else running_run_id end,
                                running_since = case when running_run_id = :run then null else running_since end,
                                running_node = case when running_run_id = :run then null else running_node end,
                                heartbeat_at = case when running_run_id = :run then null else heartbeat_at end,
                                consecutive_failures = case when :ok then 0 else consecutive_failures + 1 end
                            where database = :db
                            returning consecutive_failures""")
                    .param("run", runId).param("ok", succeeded).param("db", database)
                    .query(Integer.class).single();
        });
    }

    /** Stops the schedule of a pair; true only for the call that stopped it. */
    boolean stop(String database, String reason, Instant now) {
        return own.execute(tx -> jdbc.sql("""
                        update sync_state set stopped_at = :now, stopped_reason = :reason
                        where database = :db and stopped_at is null""")
                .param("now", ts(now)).param("reason", reason).param("db", database).update() == 1);
    }

    void resume(String database) {
        own.executeWithoutResult(tx -> jdbc.sql("""
                        update sync_state set stopped_at = null, stopped_reason = null, consecutive_failures = 0
                        where database = :db""")
                .param("db", database).update());
    }

    /** Clears the flag of a run that is no longer alive and marks that run abandoned. */
    boolean reset(String database, long runId, Instant now) {
        return own.execute(tx -> {
            int cleared = jdbc.sql("""
                            update sync_state set running_run_id = null, running_since = null, running_node = null,
                                                  heartbeat_at = null
                            where database = :db and running_run_id = :run""")
                    .param("db", database).param("run", runId).update();
            jdbc.sql("""
                            update sync_run set result = 'abandoned', ended_at = :now,
                                                error = coalesce(error, 'reset after the run stopped reporting')
                            where id = :run and result = 'running'""")
                    .param("run", runId).param("now", ts(now)).update();
            jdbc.sql("""
                            update sync_task set result = 'failed', ended_at = :now, error = 'run abandoned'
                            where run_id = :run and result = 'running'""")
                    .param("run", runId).param("now", ts(now)).update();
            return cleared == 1;
        });
    }

    List<Run> runs(String database, int limit) {
        List<Run> runs = jdbc.sql("""
                        select id, database, failover, kind, node, requested_by, started_at, checkpoint, ended_at,
                               result, error
                        from sync_run where database = :db order by id desc limit :limit""")
                .param("db", database).param("limit", limit)
                .query((rs, i) -> new Run(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), instant(rs, 7), instant(rs, 8), instant(rs, 9),
                        rs.getString(10), rs.getString(11), new ArrayList<>()))
                .list();
        if (runs.isEmpty()) {
            return runs;
        }
        Map<Long, Run> byId = new HashMap<>();
        runs.forEach(r -> byId.put(r.id(), r));
        jdbc.sql("""
                        select run_id, position, table_name, kind, range_after, range_up_to, started_at, ended_at,
                               result, rows_copied, rows_removed, error, value_after, value_up_to
                        from sync_task where run_id = any(:ids) order by run_id, position""")
                .param("ids", byId.keySet().toArray(Long[]::new))
                .query((rs, i) -> {
                    byId.get(rs.getLong(1)).tasks().add(new Task(rs.getInt(2), rs.getString(3), rs.getString(4),
                            instant(rs, 5), instant(rs, 6), instant(rs, 7), instant(rs, 8), rs.getString(9),
                            rs.getLong(10), rs.getLong(11), rs.getString(12), rs.getString(13), rs.getString(14)));
                    return null;
                }).list();
        return runs;
    }

    /** The last succeeded run (its checkpoint is what the failover database holds for sure). */
    Optional<Run> lastSuccess(String database) {
        return jdbc.sql("""
                        select id, database, failover, kind, node, requested_by, started_at, checkpoint, ended_at,
                               result, error
                        from sync_run where database = :db and result = 'succeeded' order by id desc limit 1""")
                .param("db", database)
                .query((rs, i) -> new Run(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), instant(rs, 7), instant(rs, 8), instant(rs, 9),
                        rs.getString(10), rs.getString(11), List.of()))
                .optional();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}

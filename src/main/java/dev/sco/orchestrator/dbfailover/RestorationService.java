package dev.sco.orchestrator.dbfailover;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.sco.orchestrator.platform.AsSystem;
import dev.sco.orchestrator.platform.continuity.PairTables;
import dev.sco.orchestrator.platform.continuity.SyncControl;
import dev.sco.orchestrator.platform.target.CopyRequest;
import dev.sco.orchestrator.platform.target.CopyResult;
import dev.sco.orchestrator.platform.target.CopyStream;
import dev.sco.orchestrator.platform.target.Partitions;
import dev.sco.orchestrator.platform.target.ScriptRunner;
import dev.sco.orchestrator.platform.target.TargetDatabaseException;
import dev.sco.orchestrator.platform.target.TableRef;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Restoration (failback) of a primary after a failover: the DBA repairs it; if the repair was
 * quick (before the next sync would have run) the consumers go straight back, otherwise the
 * failover database is backed up and copied onto the primary first. Then the failover database
 * becomes a sync target again.
 */
@Service
public class RestorationService {

    /** How long the fresh session that checks the fence may take. */
    private static final Duration FENCE_PROBE_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(RestorationService.class);

    private final FailoverRepository repository;
    private final JdbcClient jdbc;
    private final TargetDatabases targets;
    private final ScriptRunner scripts;
    private final SyncControl sync;
    private final RuntimeService runtime;
    private final AsSystem system;
    private final Clock clock;
    private final Fencing fencing;
    private final DatabaseRoles roles;
    private final PairTables pairTables;

    RestorationService(FailoverRepository repository, JdbcClient jdbc, TargetDatabases targets, ScriptRunner scripts,
                       SyncControl sync, RuntimeService runtime, AsSystem system, Clock clock, Fencing fencing,
                       DatabaseRoles roles, PairTables pairTables) {
        this.pairTables = pairTables;
        this.fencing = fencing;
        this.roles = roles;
        this.repository = repository;
        this.jdbc = jdbc;
        this.targets = targets;
        this.scripts = scripts;
        this.sync = sync;
        this.runtime = runtime;
        this.system = system;
        this.clock = clock;
    }

    /** Why a restoration cannot start, or the operation it started. */
    public record Outcome(ContinuityOperation operation, String refusal, boolean conflict) {
    }

    /** Why a restoration of the database cannot be requested now; empty when it can. */
    public Optional<String> refusal(String database) {
        if (restorableFailover(database).isEmpty()) {
            return Optional.of("No failover of '" + database + "' is active: nothing to restore");
        }
        if (jdbc.sql("select exists (select 1 from continuity_operation where database = ? and kind = 'restoration'"
                + " and ended_at is null)").param(database).query(Boolean.class).single()) {
            return Optional.of("A restoration of '" + database + "' is already running");
        }
        String acting = roles.of(database).map(DatabaseRoles.Acting::role).orElse(null);
        if (!DatabaseRoles.FAILED.equals(acting)) {
            return Optional.of("'" + database + "' acts as " + acting + ", not as a failed primary: nothing to restore");
        }
        return Optional.empty();
    }

    private Optional<ContinuityOperation> restorableFailover(String database) {
        return jdbc.sql("""
                select f.id from continuity_operation f
                 where f.database = ? and f.kind = 'failover' and f.mode <> 'drill'
                   and f.state in ('failed-over', 'incomplete')
                   and not exists (select 1 from continuity_operation r
                                    where r.restores_operation_id = f.id and r.state <> 'declined')
                 order by f.requested_at desc limit 1""")
                .param(database).query(Long.class).optional().flatMap(repository::find);
    }

    @Transactional
    public Outcome request(String database, String reason, String ticket, String instance, String requestedBy) {
        Registered registered;
        try {
            registered = register(database, reason, ticket, instance, requestedBy);
        } catch (Refused e) {
            return new Outcome(null, e.getMessage(), true);
        }
        String processInstanceId = system.call(() -> runtime.startProcessInstanceByKey(DatabaseRestorationProcess.KEY,
                DatabaseRestorationProcess.businessKey(registered.id()), registered.variables())).getId();
        repository.setProcess(registered.id(), processInstanceId);
        log.warn("Restoration {} of {} requested by {}: {}", registered.id(), database, requestedBy, reason);
        return new Outcome(repository.find(registered.id()).orElseThrow(), null, false);
    }

    /**
     * Registers a restoration started by hand over the engine REST API or Tasklist (its start
     * variables already checked): the record is made and bound to the starting process instance.
     */
    @Transactional
    public void adopt(String database, String reason, String ticket, String instance, String requestedBy,
                      org.camunda.bpm.engine.delegate.DelegateExecution execution) {
        if (database == null || reason == null) {
            throw new IllegalArgumentException("A restoration needs the start variables 'database' and 'reason'");
        }
        Registered registered = register(database, reason, ticket, instance, requestedBy);
        repository.setProcess(registered.id(), execution.getProcessInstanceId());
        execution.setVariables(registered.variables());
        log.warn("Restoration {} of {} started by hand by {}: {}", registered.id(), database, requestedBy, reason);
    }

    private record Registered(long id, Map<String, Object> variables) {
    }

    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private Registered register(String database, String reason, String ticket, String instance, String requestedBy) {
        ContinuityOperation failedOver = restorableFailover(database).orElseThrow(() ->
                new Refused("No failover of '" + database + "' is active: nothing to restore"));
        // Checked (and the row share-locked) before anything is written: a refusal returns without
        // rolling back, so nothing may have been inserted by then.
        String acting = roles.lockedRoleForUpdate(database).orElse(null);
        if (!DatabaseRoles.FAILED.equals(acting)) {
            throw new Refused("'" + database + "' acts as " + acting + ", not as a failed primary: nothing to restore");
        }
        Optional<Long> id = jdbc.sql("""
                insert into continuity_operation (kind, mode, database, failover_database, requested_by, reason, ticket,
                                                  requested_at, state, restores_operation_id, instance)
                values ('restoration', 'restore', ?, ?, ?, ?, ?, ?, 'requested', ?, ?)
                on conflict (database) where kind = 'restoration' and ended_at is null do nothing
                returning id""")
                .params(database, failedOver.failoverDatabase(), requestedBy, reason, ticket,
                        java.sql.Timestamp.from(clock.instant()), failedOver.id(), instance)
                .query(Long.class).optional();
        if (id.isEmpty()) {
            throw new Refused("A restoration of '" + database + "' is already running");
        }
        roles.restoring(id.get(), database, clock.instant());
        Instant failedOverAt = failedOver.verifiedAt() != null ? failedOver.verifiedAt() : failedOver.endedAt();
        Duration interval = sync.interval(database);
        Map<String, Object> variables = new HashMap<>();
        variables.put(DatabaseFailoverProcess.VAR_OPERATION_ID, id.get());
        variables.put(DatabaseFailoverProcess.VAR_DATABASE, database);
        variables.put(DatabaseFailoverProcess.VAR_FAILOVER_DATABASE, failedOver.failoverDatabase());
        variables.put(DatabaseFailoverProcess.VAR_REASON, reason);
        variables.put(DatabaseFailoverProcess.VAR_REQUESTED_BY, requestedBy);
        variables.put(DatabaseRestorationProcess.VAR_INSTANCE, instance);
        variables.put("failedOverAt", java.util.Date.from(failedOverAt));
        variables.put(DatabaseRestorationProcess.VAR_NEXT_SYNC_AT, interval.isZero() ? "never (no sync scheduled)"
                : failedOverAt.plus(interval).toString());
        return new Registered(id.get(), variables);
    }

    /**
     * The DBA reports the primary repaired. Repaired before the next sync would have run after the
     * failover: repoint straight back; otherwise copy the failover database back first.
     */
    @Transactional
    public boolean repaired(long operationId) {
        ContinuityOperation op = repository.find(operationId).orElseThrow();
        ContinuityOperation failover = repository.find(restoredFailover(operationId)).orElseThrow();
        Instant now = clock.instant();
        Instant failedOverAt = failover.verifiedAt() != null ? failover.verifiedAt() : failover.endedAt();
        Duration interval = sync.interval(op.database());
        boolean inTime = !interval.isZero() && now.isBefore(failedOverAt.plus(interval));
        jdbc.sql("update continuity_operation set repaired_at = ?, restore_path = ? where id = ?")
                .params(java.sql.Timestamp.from(now), inTime ? "repoint" : "copy-back", operationId).update();
        log.info("Restoration {}: primary {} repaired {}", operationId, op.database(),
                inTime ? "before the next sync would have run: repoint straight back" : "late: copy back first");
        return inTime;
    }

    long restoredFailover(long operationId) {
        return jdbc.sql("select restores_operation_id from continuity_operation where id = ?").param(operationId)
                .query(Long.class).single();
    }

    /**
     * Stops writes to the failover database while it is copied back (its consumers move next). The
     * fence is this restoration's, recorded on it; {@link #reinstallSync} lifts it again.
     */
    public void fenceFailover(long operationId) {
        Fencing.Outcome outcome = fencing.fence(operationId, repository.find(operationId).orElseThrow().failoverDatabase(),
                FENCE_PROBE_TIMEOUT);
        repository.recordFenceOutcome(operationId, outcome.fenced(), outcome.detail());
    }

    /**
     * Copies the pair's sync tables (as registered for it) from the failover database onto the
     * primary in one transaction on the primary (truncate, recreate the partitions the failover
     * database has, then COPY parents before children), so a failed copy leaves the primary as it
     * was and the step can simply run again.
     */
    public long copyBack(long operationId) {
        ContinuityOperation op = repository.find(operationId).orElseThrow();
        PairTables.TableList list = pairTables.required(op.database());
        String schema = list.schema();
        fencing.unfence(restoredFailover(operationId), operationId, op.database());
        long rows = 0;
        // Bounded like a sync copy of the same tables: the pool's 60 s would cut a real copy short,
        // and no bound at all would let a stuck truncate or copy hold the step (and its locks) for ever.
        Duration timeout = sync.copyTimeout();
        try (Connection source = targets.dataSource(op.failoverDatabase()).getConnection();
             Connection target = targets.dataSource(op.database()).getConnection()) {
            List<String> tables = TargetTables.parentsFirst(target, schema,
                    list.tables().stream().map(PairTables.Table::name).toList());
            target.setAutoCommit(false);
            // The socket waits a little longer than the server, so the server's timeout is the one
            // reported; the pool puts its own network timeout back when the connection returns.
            target.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE,
                    timeout.plusSeconds(30).toMillis()));
            try (Statement s = target.createStatement()) {
                s.execute("set local statement_timeout = " + timeout.toMillis());
                if (!tables.isEmpty()) {
                    s.execute("truncate " + String.join(", ", tables.stream()
                            .map(t -> TableRef.of(schema, t).quoted()).toList()));
                }
            }
            int partitions = 0;
            for (String table : tables) {
                partitions += Partitions.mirror(source, target, TableRef.of(schema, table));
            }
            // The rows arrive as the failover database holds them, its triggers' work included:
            // the primary's own triggers (an insert trigger that keeps a total, say) must not run
            // again on them. Disabled in this transaction only, and only those that were enabled;
            // foreign keys stay checked.
            List<String[]> triggers = TargetTables.enabledUserTriggers(target, schema, tables);
            TargetTables.setTriggers(target, triggers, "DISABLE");
            for (String table : tables) {
                CopyResult result = CopyStream.copy(source, target, CopyRequest.table(schema, table)
                        .withStatementTimeout(timeout));
                rows += result.rows();
            }
            TargetTables.setTriggers(target, triggers, "ENABLE");
            target.commit();
            log.info("Restoration {}: {} partitions recreated on {} from the catalog of {}", operationId, partitions,
                    op.database(), op.failoverDatabase());
        } catch (SQLException e) {
            throw new TargetDatabaseException("Copy back onto " + op.database() + " failed: " + e.getMessage(), e);
        }
        // The rows came with their ids: identity and serial sequences of the primary move past them,
        // so the consumers' next rows get fresh ones (idempotent, like the copy).
        scripts.run(op.database(), "advance-sequences", Map.of("schema", schema), false);
        log.info("Restoration {}: copied {} rows from {} back onto {}", operationId, rows, op.failoverDatabase(),
                op.database());
        return rows;
    }

    /** Lifts the fence the failover put on the primary (recorded on that failover). */
    public void unfencePrimary(long operationId) {
        fencing.unfence(restoredFailover(operationId), operationId, repository.find(operationId).orElseThrow().database());
    }

    /**
     * The failover database takes writes from the sync again, becomes a sync target, and sync
     * resumes. The consumers were verified on the primary before this step (its rule), and the
     * failover database now holds a full copy of it: the roles are the registered ones again, in
     * the step's transaction (a failed copy leaves them as they were).
     */
    public void reinstallSync(long operationId) {
        ContinuityOperation op = repository.find(operationId).orElseThrow();
        fencing.unfence(operationId, operationId, op.failoverDatabase());
        scripts.run(op.failoverDatabase(), "make-sync-target",
                Map.of("schema", pairTables.required(op.database()).schema()), false);
        sync.reinstall(op.database());
        roles.restored(op, clock.instant());
    }

    /** Ends the restoration, and freezes the KPI of the failover it undid: alerts handled on the failover side. */
    @Transactional
    public void recordRestored(long operationId) {
        ContinuityOperation op = repository.find(operationId).orElseThrow();
        ContinuityOperation failover = repository.find(restoredFailover(operationId)).orElseThrow();
        Long alerts = null;
        if (failover.verifiedAt() != null) {
            try {
                alerts = ContinuityReport.handledOnFailover(targets, pairTables, op.database(), op.failoverDatabase(),
                        failover.verifiedAt(), op.requestedAt());
            } catch (RuntimeException e) {
                log.warn("Rows handled on {} could not be counted: {}", op.failoverDatabase(), e.getMessage());
            }
            try {
                ContinuityReport.freezeHandledPerDay(jdbc, targets, pairTables, failover, op.requestedAt());
            } catch (RuntimeException e) {
                log.warn("Rows handled per day on {} could not be counted: {}", op.failoverDatabase(), e.getMessage());
            }
        }
        jdbc.sql("update continuity_operation set alerts_on_failover = ?, state = 'restored' where id = ?")
                .params(alerts, failover.id()).update();
        repository.end(operationId, "restored", clock.instant(), null);
    }
}

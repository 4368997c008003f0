package dev.sco.orchestrator.sync;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.sco.orchestrator.platform.continuity.PairRoles;
import dev.sco.orchestrator.platform.continuity.PairTables;
import dev.sco.orchestrator.platform.decision.DecisionRecorder;
import dev.sco.orchestrator.platform.decision.SensorDecision;
import dev.sco.orchestrator.platform.target.DatabaseEndpoint;
import dev.sco.orchestrator.platform.target.ScriptRunner;
import dev.sco.orchestrator.platform.target.SqlIdentifiers;
import dev.sco.orchestrator.platform.target.TableRef;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import dev.sco.orchestrator.platform.web.ApiProblem;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Conflict;
import dev.sco.orchestrator.platform.web.NotFound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Sync runs of a database pair: the is-running flag, the checkpoints, one task per table, the
 * run log, and the readiness rule that stops the schedule and asks for a full resynchronisation.
 * Runs happen outside the engine: the Quartz trigger, the API and the recovery process call in here.
 */
@Service
class SyncService implements DisposableBean {

    static final String SENSOR = "sync";

    private static final Logger log = LoggerFactory.getLogger(SyncService.class);

    /** Bytes between two progress reports of a copy. */
    static final long PROGRESS_EVERY = 4L * 1024 * 1024;

    private final TargetDatabases targets;
    private final SyncTables tables;
    private final SyncRepository repository;
    private final SyncSettings settings;
    private final MaintenanceWindow window;
    private final PairWindows windows;
    private final FullCopyWindow fullCopies;
    private final DecisionRecorder decisions;
    private final SyncRecoveryProcesses recovery;
    private final SyncSchedule schedule;
    private final Clock clock;
    private final String node;
    /** How long a run of a node that left the Quartz cluster must have been silent before another run takes its pair over. */
    private final Duration deadAfter;
    private final PairRoles roles;
    private final ScriptRunner scripts;
    private final ExecutorService manualRuns = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "sync-run");
        thread.setDaemon(true);
        return thread;
    });

    SyncService(TargetDatabases targets, SyncTables tables, SyncRepository repository, SyncSettings settings,
                DecisionRecorder decisions, SyncRecoveryProcesses recovery, SyncSchedule schedule, Clock clock,
                @Value("${orchestrator.process-application-name:orchestrator}") String applicationName,
                PairRoles roles, ScriptRunner scripts,
                @Value("${spring.quartz.properties.org.quartz.jobStore.clusterCheckinInterval:5000}") long checkinMs,
                PairWindows windows, FullCopyWindow fullCopies) {
        this.windows = windows;
        this.fullCopies = fullCopies;
        this.roles = roles;
        this.scripts = scripts;
        this.targets = targets;
        this.tables = tables;
        this.repository = repository;
        this.settings = settings;
        this.window = MaintenanceWindow.of(settings);
        this.decisions = decisions;
        this.recovery = recovery;
        this.schedule = schedule;
        this.clock = clock;
        this.node = nodeName(applicationName) + SyncRepository.QUARTZ_INSTANCE + schedule.instanceId();
        this.deadAfter = Duration.ofMillis(2 * checkinMs);
    }

    enum Kind {
        SCHEDULED("scheduled"), MANUAL("manual"), FULL("full");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** How a run ended. */
    record Outcome(long runId, boolean succeeded, String error, int consecutiveFailures) {
    }

    /** A pair by its primary's name; refuses unknown databases, failover sides and unpaired primaries. */
    SyncPair pair(String database) {
        DatabaseEndpoint primary = targets.find(database)
                .orElseThrow(() -> new NotFound("database", "No database named '" + database + "'"));
        if (!"primary".equals(primary.role())) {
            throw new BadRequest("database", "'" + database + "' is a " + primary.role()
                    + " database; name the primary of the pair"
                    + (primary.pairedWith() == null ? "" : " ('" + primary.pairedWith() + "')"));
        }
        if (primary.pairedWith() == null) {
            throw new BadRequest("database", "'" + database + "' has no failover side (pairedWith is empty)");
        }
        if (targets.find(primary.pairedWith()).isEmpty()) {
            throw new BadRequest("database", "The failover side '" + primary.pairedWith() + "' of '" + database
                    + "' is not registered");
        }
        return new SyncPair(database, primary.pairedWith());
    }

    /**
     * Refuses (409) a copy of a pair whose databases do not act as primary and standby: failed over
     * (the registered primary is failed and its partner the acting primary) or being restored. A
     * copy then would write the old primary's data over the database the consumers use. Sync copies
     * from the acting primary to the standby only, which for a pair named by its registered primary
     * is that primary to its failover database.
     */
    void refuseUnlessCopyable(SyncPair pair) {
        roles.syncRefusal(pair.primary()).ifPresent(reason -> {
            throw new Conflict("database", "Sync of '" + pair.primary() + "' refused: " + reason);
        });
    }

    /** Why a stopped pair does not run, in the words of what stopped it. */
    static String stoppedBecause(String database, SyncRepository.State state) {
        if (SyncRepository.STOPPED_FOR_FAILOVER.equals(state.stoppedReason())) {
            return "Sync of '" + database + "' is stopped since " + state.stoppedAt() + " for a failover; only the "
                    + "restoration of '" + database + "' resumes it";
        }
        return "Sync of '" + database + "' is stopped since " + state.stoppedAt() + " after "
                + state.consecutiveFailures() + " failed runs: approve the full resynchronisation in the recovery "
                + "task first";
    }

    /**
     * Sets the tables of a pair (API): shape first, then against the primary and the failover
     * database (both must have every table; sync copies rows, never tables), then the failover
     * database is made a sync target of the schema, then the list is stored in one
     * transaction that refuses while a run, failover or restoration of the pair is running. The
     * pair is scheduled at once. Returns whether the pair had no tables before.
     */
    boolean setTables(String database, PairTables.TableList list, String by) {
        SyncPair pair = pair(database);
        SyncTables.refuse(SyncTables.shapeProblems(list));
        List<SyncTable> candidate = SyncTables.toSyncTables(list);
        try (Connection primary = connect(database)) {
            boolean schema;
            try (var check = primary.prepareStatement("select to_regnamespace(?) is not null")) {
                check.setString(1, SqlIdentifiers.quote(list.schema()));
                try (ResultSet rs = check.executeQuery()) {
                    rs.next();
                    schema = rs.getBoolean(1);
                }
            }
            if (!schema) {
                throw new BadRequest("schema", "schema " + list.schema() + " does not exist on the primary '" + database
                        + "'");
            }
            SyncTables.refuse(SyncTables.inspect(primary, candidate).problems());
        } catch (SQLException e) {
            throw new Conflict("database", "The tables cannot be checked on the primary '" + database + "' now: "
                    + describe(e));
        }
        try (Connection failover = connect(pair.failover())) {
            SyncTables.refuse(SyncTables.missingOnFailover(failover, pair.failover(), candidate));
        } catch (SQLException e) {
            throw new Conflict("database", "The tables cannot be checked on the failover database '" + pair.failover()
                    + "' now: " + describe(e));
        }
        // The standby must take incremental loads: no foreign keys, triggers or unique indexes in
        // the schema (idempotent; what it removes is saved for the failover to put back). Before the
        // list is stored, so a stored list always has its sync target; a list then refused (409)
        // leaves only a standby that is a sync target, as a standby should be.
        roles.tableChangeRefusal(database).ifPresent(reason -> {
            throw new Conflict("database", "The sync tables of '" + database + "' cannot change now: " + reason);
        });
        try {
            scripts.run(pair.failover(), "make-sync-target", Map.of("schema", list.schema()), false);
        } catch (RuntimeException e) {
            throw new Conflict("database", "The failover database '" + pair.failover() + "' could not be made a sync "
                    + "target of schema " + list.schema() + ": " + describe(e));
        }
        boolean created = tables.replace(database, list, by);
        schedule.ensure(database);
        return created;
    }

    private Connection connect(String database) throws SQLException {
        try {
            return targets.dataSource(database).getConnection();
        } catch (RuntimeException e) {
            throw new SQLException(e.getMessage(), e);
        }
    }

    /**
     * Whether the run holding the pair's flag belongs to a node that has left the Quartz cluster
     * and has been silent since: such a run copies nothing any more, and the next run takes the
     * pair over (see {@link SyncRepository#leftTheCluster}).
     */
    boolean heldByDeadNode(SyncRepository.State state) {
        return state.running() && state.heartbeatAt() != null
                && state.heartbeatAt().isBefore(clock.instant().minus(deadAfter))
                && repository.leftTheCluster(state.runningNode());
    }

    /** Starts a run now (API); it executes in the background. Returns the run id. */
    long startManual(String database, String requestedBy) {
        SyncPair pair = pair(database);
        refuseUnlessCopyable(pair);
        refuseInsideWindow(pair);
        Optional<SyncRepository.State> state = repository.state(database);
        if (state.isPresent() && state.get().stoppedAt() != null) {
            throw new Conflict("database", stoppedBecause(database, state.get()));
        }
        if (tables.tables(database).isEmpty()) {
            throw new Conflict("database", "No tables are registered for the sync of '" + database
                    + "': PUT /api/sync/" + database + "/tables first");
        }
        schedule.ensure(database);
        long runId = begin(pair, Kind.MANUAL, requestedBy);
        manualRuns.execute(() -> execute(pair, runId, Kind.MANUAL, rows -> { }));
        return runId;
    }

    /** Runs now and waits for the end (tests, and the scheduled path). */
    Outcome runNow(String database, Kind kind, String requestedBy) {
        return runNow(database, kind, requestedBy, rows -> { });
    }

    /** As {@link #runNow(String, Kind, String)}, telling {@code rowsSoFar} how many rows the run has copied as it goes. */
    Outcome runNow(String database, Kind kind, String requestedBy, LongConsumer rowsSoFar) {
        SyncPair pair = pair(database);
        refuseUnlessCopyable(pair);
        return run(pair, kind, requestedBy, rowsSoFar);
    }

    private Outcome run(SyncPair pair, Kind kind, String requestedBy, LongConsumer rowsSoFar) {
        if (kind != Kind.FULL) {
            refuseInsideWindow(pair);
        }
        return execute(pair, begin(pair, kind, requestedBy), kind, rowsSoFar);
    }

    /** What the Quartz trigger calls: every decision, also doing nothing, is recorded. */
    void runScheduled(String database) {
        Instant now = clock.instant();
        try {
            SyncPair pair = pair(database);
            Optional<SyncRepository.State> state = repository.state(database);
            refuseUnlessCopyable(pair);
            if (state.isPresent() && state.get().stoppedAt() != null) {
                decide(database, SensorDecision.SKIPPED, "stopped since " + state.get().stoppedAt()
                        + (SyncRepository.STOPPED_FOR_FAILOVER.equals(state.get().stoppedReason())
                        ? " for a failover; only its restoration resumes it" : ", waiting for the recovery process"),
                        now);
                return;
            }
            refuseInsideWindow(pair);
            long runId = begin(pair, Kind.SCHEDULED, null);
            decide(database, SensorDecision.STARTED, "run " + runId, now);
            execute(pair, runId, Kind.SCHEDULED, rows -> { });
        } catch (ApiProblem e) {
            decide(database, SensorDecision.SKIPPED, e.getMessage(), now);
        } catch (RuntimeException e) {
            log.error("Scheduled sync of {} failed to start", database, e);
            decide(database, SensorDecision.FAILED, String.valueOf(e.getMessage()), now);
        }
    }

    /** Full copy of every table (recovery). Throws when it did not succeed, so the engine job retries. */
    Outcome runFull(String database, String requestedBy) {
        return runFull(database, requestedBy, rows -> { });
    }

    /** Full copy reporting rows copied so far (the recovery process shows them while it runs). */
    Outcome runFull(String database, String requestedBy, LongConsumer rowsSoFar) {
        Outcome outcome = runNow(database, Kind.FULL, requestedBy, rowsSoFar);
        if (!outcome.succeeded()) {
            throw new IllegalStateException("Full resynchronisation of " + database + " failed (run "
                    + outcome.runId() + "): " + outcome.error());
        }
        return outcome;
    }

    /**
     * The full copy a restoration makes after its consumers were verified on the primary: the only
     * copy allowed while the pair's roles are not back yet (the restoration puts them back once it
     * succeeded). Direction: the restored primary onto its failover database.
     */
    Outcome runFullForRestoration(String database, String requestedBy) {
        Outcome outcome = run(pair(database), Kind.FULL, requestedBy, rows -> { });
        if (!outcome.succeeded()) {
            throw new IllegalStateException("Full resynchronisation of " + database + " failed (run "
                    + outcome.runId() + "): " + outcome.error());
        }
        return outcome;
    }

    /** Clears the flag of a run that stopped reporting; refuses while the run is alive. */
    Optional<Long> reset(String database) {
        pair(database);
        Optional<SyncRepository.State> state = repository.state(database).filter(SyncRepository.State::running);
        if (state.isEmpty()) {
            return Optional.empty();
        }
        SyncRepository.State running = state.get();
        if (!stale(running)) {
            throw new Conflict("database", "Run " + running.runningRunId() + " of '" + database + "' on "
                    + running.runningNode() + " is alive (last heartbeat " + running.heartbeatAt()
                    + "); it can be reset once it has not reported for " + settings.staleAfter());
        }
        repository.reset(database, running.runningRunId(), clock.instant());
        log.warn("Sync of {}: stale run {} of {} reset", database, running.runningRunId(), running.runningNode());
        return Optional.of(running.runningRunId());
    }

    boolean stale(SyncRepository.State state) {
        return state.running() && state.heartbeatAt().plus(settings.staleAfter()).isBefore(clock.instant());
    }

    /** Resumes a stopped pair (end of the recovery process). */
    void resume(String database) {
        repository.resume(database);
        schedule.resume(database);
        log.info("Sync of {} resumed", database);
    }

    /** The fixed daily slot of the settings (pairs without a scheduled grooming job). */
    MaintenanceWindow window() {
        return window;
    }

    /** The pair's maintenance window: its primary's grooming job when scheduled, else the fixed slot. */
    PairWindow window(String primary) {
        return windows.of(primary);
    }

    private void refuseInsideWindow(SyncPair pair) {
        Instant now = clock.instant();
        PairWindow current = windows.of(pair.primary());
        if (current.contains(now)) {
            throw new Conflict("database", "Sync of '" + pair.primary() + "' may not run in the maintenance "
                    + "window (" + current + "); it ends at " + current.currentEnd(now));
        }
    }

    private long begin(SyncPair pair, Kind kind, String requestedBy) {
        Instant now = clock.instant();
        return repository.begin(pair.primary(), pair.failover(), kind.label, node, requestedBy, now, now.minus(deadAfter))
                .orElseThrow(() -> {
                    SyncRepository.State state = repository.state(pair.primary()).orElseThrow();
                    return new Conflict("database", "Run " + state.runningRunId() + " of '" + pair.primary()
                            + "' is running on " + state.runningNode() + " since " + state.runningSince()
                            + (stale(state) ? " (stale: no heartbeat since " + state.heartbeatAt()
                            + "; POST /api/sync/" + pair.primary() + "/reset clears it)" : ""));
                });
    }

    private Outcome execute(SyncPair pair, long runId, Kind kind, LongConsumer rowsSoFar) {
        long started = System.nanoTime();
        AtomicLong copied = new AtomicLong();
        String database = pair.primary();
        List<SyncTable> list = tables.tables(database);
        log.info("Sync run {} of {} -> {} ({}) started on {}: {} tables", runId, database, pair.failover(),
                kind.label, node, list.size());
        String error = null;
        try {
            if (list.isEmpty()) {
                throw new IllegalStateException("no tables are registered for the sync of '" + database
                        + "' (PUT /api/sync/" + database + "/tables)");
            }
            DataSource primary = targets.dataSource(database);
            DataSource failover = targets.dataSource(pair.failover());
            Map<TableRef, SyncTables.Shape> shapes = new HashMap<>();
            Map<TableRef, Object> largest = new HashMap<>();
            Instant checkpoint = checkpoint(primary, list, shapes, largest);
            repository.setRunCheckpoint(runId, checkpoint);
            Map<String, Instant> previous = repository.checkpoints(database);
            for (int position = 0; position < list.size() && error == null; position++) {
                SyncTable table = list.get(position);
                SyncTables.Shape shape = shapes.get(table.table());
                TableCopier.Plan plan;
                Instant before = previous.get(table.table().toString());
                if (table.kind().incremental() && !shape.incrementType().clocked()) {
                    Object after = before == null ? null : repository.valueBefore(database, table.table().toString(),
                            before.minus(settings.overlap()), shape.incrementType());
                    plan = TableCopier.Plan.ofValues(table, after, largest.get(table.table()), kind == Kind.FULL);
                } else {
                    plan = TableCopier.Plan.of(table, before, checkpoint, settings.overlap(), kind == Kind.FULL);
                }
                error = task(pair, runId, position, plan, shape, checkpoint, largest.get(table.table()), primary,
                        failover, copied, rowsSoFar);
            }
        } catch (RuntimeException | SQLException e) {
            error = describe(e);
        }
        boolean succeeded = error == null;
        int failures = repository.endRun(database, runId, succeeded, error, clock.instant());
        if (succeeded) {
            log.info("Sync run {} of {} succeeded", runId, database);
            if (kind == Kind.FULL) {
                // Its rate estimates the next full copy of the pair (see FullCopyWindow).
                fullCopies.record(database, FullCopyWindow.FULL_RESYNC, database, copied.get(),
                        Duration.ofNanos(System.nanoTime() - started));
            }
        } else {
            log.warn("Sync run {} of {} failed ({} in a row): {}", runId, database, failures, error);
            if (failures >= settings.failuresBeforeRecovery()) {
                stopAndAskForRecovery(pair, failures);
            }
        }
        return new Outcome(runId, succeeded, error, failures);
    }

    /** One table; returns the error, or null when the table's checkpoint moved. */
    private String task(SyncPair pair, long runId, int position, TableCopier.Plan plan, SyncTables.Shape shape,
                        Instant checkpoint, Object largest, DataSource primary, DataSource failover, AtomicLong copied,
                        LongConsumer rowsSoFar) {
        SyncTable table = plan.table();
        repository.startTask(runId, position, table, plan, clock.instant());
        long started = System.nanoTime();
        AtomicLong lastReport = new AtomicLong(System.nanoTime());
        try {
            TableCopier.Outcome outcome = TableCopier.copy(primary, failover, plan, shape, settings.copyTimeout(),
                    PROGRESS_EVERY, (rows, bytes) -> {
                        if (System.nanoTime() - lastReport.get() > Duration.ofSeconds(5).toNanos()) {
                            lastReport.set(System.nanoTime());
                            log.info("Sync run {} of {}: {} rows of {} so far ({} MiB)", runId, pair.primary(), rows,
                                    table.table(), bytes / (1024 * 1024));
                            repository.taskProgress(runId, position, rows);
                            repository.heartbeat(pair.primary(), runId, clock.instant());
                            rowsSoFar.accept(copied.get() + rows);
                        }
                    });
            rowsSoFar.accept(copied.addAndGet(outcome.rowsCopied()));
            repository.endTask(runId, pair.primary(), position, table, true, outcome.rowsCopied(),
                    outcome.rowsRemoved(), null, checkpoint, clock.instant());
            if (largest != null) {
                repository.recordValue(pair.primary(), table.table().toString(), checkpoint, largest,
                        settings.overlap());
            }
            log.info("Sync run {} of {}: {} ({}) copied {} rows, replaced {}, {} new partitions, in {} ms ({})", runId,
                    pair.primary(), table.table(), plan.whole() ? "whole" : table.kind().label(), outcome.rowsCopied(),
                    outcome.rowsRemoved(), outcome.partitionsCreated(), (System.nanoTime() - started) / 1_000_000,
                    outcome.phases());
            return null;
        } catch (SQLException | RuntimeException e) {
            String error = "task " + position + " (" + table.table() + ") failed: " + describe(e);
            log.debug("Sync run {} of {}: {}", runId, pair.primary(), error, e);
            repository.endTask(runId, pair.primary(), position, table, false, 0, 0, describe(e), null, clock.instant());
            return error;
        }
    }

    /**
     * The run's checkpoint is the primary's own clock (timestamptz increment columns are filled
     * by it), taken after checking the tables there; their shapes go into {@code shapes}, and the
     * largest value of every other increment column (an integer, a timestamp without time zone:
     * what this run copies up to) into {@code largest}.
     */
    private static Instant checkpoint(DataSource primary, List<SyncTable> list, Map<TableRef, SyncTables.Shape> shapes,
                                      Map<TableRef, Object> largest) throws SQLException {
        try (Connection connection = primary.getConnection()) {
            SyncTables.Inspection inspection = SyncTables.inspect(connection, list);
            if (!inspection.problems().isEmpty()) {
                throw new IllegalStateException("sync tables do not match the primary: "
                        + String.join("; ", inspection.messages()));
            }
            shapes.putAll(inspection.shapes());
            Instant checkpoint;
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("select clock_timestamp()")) {
                rs.next();
                checkpoint = rs.getTimestamp(1).toInstant();
            }
            for (SyncTable table : list) {
                SyncTables.Shape shape = shapes.get(table.table());
                if (table.incrementColumn() == null || shape.incrementType().clocked()) {
                    continue;
                }
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("select max(" + SqlIdentifiers.quote(table.incrementColumn())
                             + ") from " + table.table().quoted())) {
                    rs.next();
                    Object value = shape.incrementType().read(rs, 1);
                    if (value != null) {
                        largest.put(table.table(), value);
                    }
                }
            }
            return checkpoint;
        }
    }

    private void stopAndAskForRecovery(SyncPair pair, int failures) {
        String reason = failures + " consecutive failed runs";
        if (!repository.stop(pair.primary(), reason, clock.instant())) {
            return;
        }
        schedule.pause(pair.primary());
        String summary = repository.runs(pair.primary(), failures).stream()
                .filter(r -> "failed".equals(r.result()))
                .map(r -> "run " + r.id() + " at " + r.startedAt() + ": " + r.error())
                .collect(Collectors.joining("\n"));
        String processInstanceId = recovery.start(pair, summary);
        log.error("Sync of {} stopped after {}; recovery process {} asks a DBA for a full resynchronisation",
                pair.primary(), reason, processInstanceId);
        decide(pair.primary(), SensorDecision.STARTED, "stopped after " + reason + "; recovery started",
                clock.instant(), processInstanceId);
    }

    private void decide(String database, String action, String reason, Instant at) {
        decide(database, action, reason, at, null);
    }

    private void decide(String database, String action, String reason, Instant at, String processInstanceId) {
        decisions.record(new DecisionRecorder.Decision(SENSOR, database, action, reason, at,
                processInstanceId == null ? null : database, processInstanceId));
    }

    private static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 2000 ? message.substring(0, 2000) : message;
    }

    private static String nodeName(String applicationName) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + applicationName;
    }

    String node() {
        return node;
    }

    @Override
    public void destroy() {
        manualRuns.shutdownNow();
    }
}

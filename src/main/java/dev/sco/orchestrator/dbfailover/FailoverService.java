package dev.sco.orchestrator.dbfailover;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.sco.orchestrator.platform.continuity.PairTables;
import dev.sco.orchestrator.platform.continuity.SyncControl;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.sco.orchestrator.platform.target.ProbeResult;
import dev.sco.orchestrator.platform.target.ScriptFailedException;
import dev.sco.orchestrator.platform.target.ScriptRun;
import dev.sco.orchestrator.platform.target.ScriptRunner;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The steps of a database failover (S3), each callable on its own by a process step and safe to
 * run again: the engine retries a failed step, and a second node may re-run one whose node died.
 */
@Service
public class FailoverService {

    private static final Logger log = LoggerFactory.getLogger(FailoverService.class);

    private final FailoverRepository repository;
    private final TargetDatabases targets;
    private final ScriptRunner scripts;
    private final SyncControl sync;
    private final FailoverSettings settings;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Fencing fencing;
    private final DatabaseRoles roles;
    private final PairTables pairTables;
    private final FencingMethodRepository fencingMethods;
    private final DrillRunRepository drills;

    FailoverService(FailoverRepository repository, TargetDatabases targets, ScriptRunner scripts, SyncControl sync,
                    FailoverSettings settings, Clock clock, MeterRegistry meters, Fencing fencing,
                    DatabaseRoles roles, PairTables pairTables, FencingMethodRepository fencingMethods,
                    DrillRunRepository drills) {
        this.drills = drills;
        this.pairTables = pairTables;
        this.fencingMethods = fencingMethods;
        this.meters = meters;
        this.roles = roles;
        this.fencing = fencing;
        this.repository = repository;
        this.targets = targets;
        this.scripts = scripts;
        this.sync = sync;
        this.settings = settings;
        this.clock = clock;
    }

    /** What the DBA sees before approving. */
    public record PreFlight(Long dataLossWindowMs, String dataLossWindow, String checkpoints, String scripts,
                            boolean scriptsOk, List<Map<String, Object>> scriptRows,
                            List<Map<String, Object>> checkpointRows) {
    }

    /** Outcome of verification: who is on the new primary, who is not, whether it takes writes. */
    public record Verification(List<String> moved, List<String> notMoved, boolean writable, String detail) {
        public boolean complete() {
            return notMoved.isEmpty() && writable;
        }
    }

    public ContinuityOperation operation(long id) {
        return repository.find(id).orElseThrow(() -> new IllegalStateException("No continuity operation " + id));
    }

    /**
     * The data-loss window, the last checkpoints, and the preparation scripts run on the failover
     * database in one transaction that is rolled back.
     */
    @Transactional
    public PreFlight preFlight(long operationId) {
        ContinuityOperation op = operation(operationId);
        Instant now = clock.instant();
        Optional<Instant> checkpoint = sync.lastSuccessfulCheckpoint(op.database());
        Long windowMs = checkpoint.map(c -> Duration.between(c, now).toMillis()).orElse(null);
        repository.recordPreFlight(operationId, windowMs, checkpoint.orElse(null));
        String window = checkpoint.map(c -> humanDuration(Duration.between(c, now)) + " (writes since "
                + c + " are not on " + op.failoverDatabase() + ")")
                .orElse("unknown: no successful sync is recorded for " + op.database());
        List<SyncControl.TableCheckpoint> tableCheckpoints = sync.tableCheckpoints(op.database());
        String checkpoints = tableCheckpoints.stream()
                .map(t -> t.table() + " @ " + t.checkpoint()).collect(Collectors.joining("\n"));
        List<Map<String, Object>> checkpointRows = new ArrayList<>();
        for (SyncControl.TableCheckpoint t : tableCheckpoints) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("table", t.table());
            row.put("checkpoint", t.checkpoint() == null ? "none" : t.checkpoint().toString());
            row.put("behind", t.checkpoint() == null ? "unknown" : humanDuration(Duration.between(t.checkpoint(), now)));
            checkpointRows.add(row);
        }
        StringBuilder report = new StringBuilder();
        List<Map<String, Object>> scriptRows = new ArrayList<>();
        boolean ok = true;
        try {
            for (ScriptRun run : scripts.dryRunSequence(op.failoverDatabase(), DatabaseFailoverProcess.PREPARATION_SCRIPTS,
                    schemaParameter(op.database()))) {
                report.append(run.script()).append(": ").append(run.statements().size()).append(" statements, ")
                        .append(run.totalRows()).append(" rows, ").append(run.duration().toMillis()).append(" ms");
                List<String> notices = run.statements().stream().flatMap(s -> s.notices().stream()).limit(5).toList();
                notices.forEach(n -> report.append("\n  ").append(n));
                report.append('\n');
                scriptRows.add(scriptRow(run.script(), "passed (rolled back)", run.statements().size(), run.totalRows(),
                        run.duration().toMillis(), String.join("; ", notices)));
            }
            report.append("(dry run, rolled back)");
        } catch (RuntimeException e) {
            ok = false;
            report.append("FAILED: ").append(e.getMessage());
            scriptRows.add(scriptRow(e instanceof ScriptFailedException f ? f.script() : "preparation scripts", "FAILED",
                    null, null, null, String.valueOf(e.getMessage())));
        }
        log.info("Failover {} of {}: pre-flight {}, data-loss window {}", operationId, op.database(),
                ok ? "passed" : "failed", window);
        return new PreFlight(windowMs, window, checkpoints.isEmpty() ? "none recorded" : checkpoints, report.toString(),
                ok, scriptRows, checkpointRows);
    }

    private static Map<String, Object> scriptRow(String script, String outcome, Integer statements, Long rows,
                                                 Long durationMs, String notices) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("script", script);
        row.put("outcome", outcome);
        row.put("statements", statements);
        row.put("rows", rows);
        row.put("durationMs", durationMs);
        row.put("notices", notices);
        return row;
    }

    @Transactional
    public void recordApproval(long operationId, boolean approved, String approvedBy) {
        repository.recordApproval(operationId, approvedBy, clock.instant(), approved);
        log.info("Failover {} {} by {}", operationId, approved ? "approved" : "declined", approvedBy);
    }

    @Transactional
    public void acknowledgeUnfenced(long operationId, String user) {
        repository.recordUnfencedAcknowledged(operationId, user);
    }

    /**
     * Stops synchronisation of the pair; a planned failover then copies what is left (no data lost:
     * the old primary is fenced, so nothing new arrives). Stopping first means no scheduled run
     * starts meanwhile; a run already going makes the step fail and try again (see {@link StopSyncStep}).
     */
    public void stopSync(long operationId) {
        ContinuityOperation op = operation(operationId);
        sync.stop(op.database());
        if (DatabaseFailoverProcess.MODE_PLANNED.equals(op.mode())) {
            sync.runNow(op.database());
        }
    }

    /** One preparation script on the failover database (each script is idempotent). */
    public ScriptRun prepare(long operationId, String script) {
        if (!DatabaseFailoverProcess.PREPARATION_SCRIPTS.contains(script)) {
            throw new IllegalArgumentException("Not a preparation script: " + script);
        }
        ContinuityOperation op = operation(operationId);
        return scripts.run(op.failoverDatabase(), script, schemaParameter(op.database()), false);
    }

    /**
     * The preparation scripts work on the pair's schema, as registered for its sync (the one
     * source of what the pair holds); a pair without registered tables cannot be prepared.
     */
    private Map<String, String> schemaParameter(String primary) {
        return Map.of("schema", pairTables.required(primary).schema());
    }

    /**
     * Binds every consumer of the database being left to the one taking over; returns the consumers
     * bound to the new primary. Consumers that poll their binding follow by themselves; those with
     * a reconnect address are called by the next step, after this one has committed
     * ({@link ReconnectConsumersDelegate}), never from inside this transaction.
     */
    @Transactional
    public List<String> repoint(long operationId) {
        ContinuityOperation op = operation(operationId);
        repository.rebind(op.from(), op.to(), clock.instant());
        List<String> consumers = repository.consumersOf(op.to());
        log.info("Failover {}: {} consumers bound to {}: {}", operationId, consumers.size(), op.to(),
                consumers);
        return consumers;
    }

    /**
     * One look: does every consumer bound to the new primary hold a session there under its
     * application name and none on the old one? When they all do (or on the {@code lastLook} of a
     * verification, whatever it finds) it proves the new primary takes writes and records the
     * outcome. The waiting between looks is the process's (a BPMN timer between two short jobs),
     * never a pause in here. Serves failovers and restorations alike (see {@link ContinuityOperation#to()}).
     */
    public Verification verify(long operationId, boolean lastLook) {
        ContinuityOperation op = operation(operationId);
        List<String> expected = repository.consumersOf(op.to());
        List<String> notMoved = stragglers(op, expected);
        List<String> moved = new ArrayList<>(expected);
        moved.removeAll(notMoved);
        if (!notMoved.isEmpty() && !lastLook) {
            log.debug("Failover {}: not yet on {}: {}", operationId, op.to(), notMoved);
            return new Verification(List.copyOf(moved), notMoved, false, "waiting for " + String.join(", ", notMoved));
        }
        boolean writable;
        String detail;
        try {
            scripts.run(op.to(), "write-probe", Map.of("operation", String.valueOf(operationId)), false);
            writable = true;
            detail = "new primary took a write";
        } catch (RuntimeException e) {
            writable = false;
            detail = "new primary refused a write: " + e.getMessage();
        }
        Verification result = new Verification(List.copyOf(moved), notMoved, writable, detail);
        if (result.complete() || lastLook) {
            repository.recordVerification(operationId, result.moved(), result.notMoved(),
                    result.complete() ? clock.instant() : null);
            log.info("Failover {}: verification {}: moved {}, not moved {}, {}", operationId,
                    result.complete() ? "passed" : "incomplete", moved, notMoved, detail);
        }
        return result;
    }

    private List<String> stragglers(ContinuityOperation op, List<String> expected) {
        if (expected.isEmpty()) {
            return List.of();
        }
        Set<String> onNew = sessions(op.to(), expected);
        Set<String> onOld = targets.probe(op.from(), settings.probeTimeout()).reachable()
                ? sessions(op.from(), expected) : Set.of();
        return expected.stream().filter(c -> !onNew.contains(c) || onOld.contains(c)).toList();
    }

    private Set<String> sessions(String database, List<String> consumers) {
        try {
            return new LinkedHashSet<>(targets.jdbc(database).sql("""
                    select distinct application_name from pg_stat_activity
                     where datname = current_database() and application_name = any(?::text[])""")
                    .param(consumers.toArray(String[]::new)).query(String.class).list());
        } catch (RuntimeException e) {
            log.warn("Sessions of {} could not be read: {}", database, e.getMessage());
            return Set.of();
        }
    }

    /**
     * Ends the operation with its outcome, and counts it in the metrics: operations per kind, mode
     * and outcome; time to repair and data-loss window of completed failovers (the plan's KPIs).
     */
    @Transactional
    public void recordEnd(long operationId, String state, String evidence) {
        Instant now = clock.instant();
        ContinuityOperation ending = operation(operationId);
        // The consumers were repointed (all verified, or some left behind): from now on the failover
        // database is the pair's acting primary and the old primary is failed, so the probe stops
        // counting it toward another failover and sync stops copying from it. Same transaction as
        // the end: the record and the roles never disagree. The roles move first: a failover request
        // share-locks the endpoint row before it inserts, so taking the row before the operation's
        // (which such an insert waits on) keeps the two from deadlocking.
        if ("failover".equals(ending.kind()) && !DatabaseFailoverProcess.MODE_DRILL.equals(ending.mode())
                && (ContinuityOperation.FAILED_OVER.equals(state) || ContinuityOperation.INCOMPLETE.equals(state))) {
            roles.failedOver(ending, state, now);
        }
        repository.end(operationId, state, now, evidence);
        ContinuityOperation op = operation(operationId);
        Counter.builder("continuity.operations").description("Continuity operations by outcome")
                .tag("kind", op.kind()).tag("mode", op.mode()).tag("outcome", state).register(meters).increment();
        if (op.timeToRepairMs() != null && ContinuityOperation.FAILED_OVER.equals(state)) {
            Timer.builder("continuity.time.to.repair").description("Request or detection to every consumer verified")
                    .tag("mode", op.mode()).register(meters).record(Duration.ofMillis(op.timeToRepairMs()));
            if (op.dataLossWindowMs() != null) {
                DistributionSummary.builder("continuity.data.loss.window").baseUnit("milliseconds")
                        .description("Data-loss window at pre-flight of completed failovers")
                        .register(meters).record(op.dataLossWindowMs());
            }
        }
    }

    /** What a drill found: its evidence text, the problems (empty: none) and one row per check for the forms. */
    public record DrillOutcome(String evidence, List<String> problems, List<Map<String, Object>> checkRows) {
    }

    /**
     * A drill: the pre-flight already ran ({@code preFlightOk}, {@code preFlightMs}: its scripts'
     * dry-run time); here the fencing check (is the old primary reachable?) and a look at where
     * every consumer is connected, changing nothing. The evidence is kept as the operation's text
     * and as a drill record ({@code GET /api/drills}); a problem is anything that would stop or
     * slow a real failover now.
     */
    @Transactional
    public DrillOutcome drill(long operationId, String preFlight, Boolean preFlightOk, Long preFlightMs) {
        Instant started = clock.instant();
        ContinuityOperation op = operation(operationId);
        ProbeResult primary = targets.probe(op.database(), settings.probeTimeout());
        ProbeResult failover = targets.probe(op.failoverDatabase(), settings.probeTimeout());
        List<String> consumers = repository.consumersOf(op.database());
        Set<String> onPrimary = primary.reachable() ? sessions(op.database(), consumers) : Set.of();
        String methods = fencingMethods.effectiveMethods(op.database()).stream().map(FencingMethod::label)
                .collect(Collectors.joining(", "));
        boolean sqlOnly = !fencingMethods.hasMethodBesidesSql(op.database());
        String wouldFence = primary.reachable() ? op.database() + " made read-only (" + methods + ")"
                : op.database() + " unreachable: " + (sqlOnly ? "the SQL fence cannot confirm, a DBA would acknowledge"
                : "fenced by " + methods);
        long checksMs = Duration.between(started, clock.instant()).toMillis();
        List<String> problems = new ArrayList<>();
        if (!failover.reachable()) {
            problems.add("failover database " + op.failoverDatabase() + " unreachable: " + failover.error());
        }
        if (Boolean.FALSE.equals(preFlightOk)) {
            problems.add("pre-flight failed: the preparation scripts do not run on " + op.failoverDatabase());
        }
        if (!primary.reachable() && sqlOnly) {
            problems.add("old primary " + op.database() + " unreachable and only the SQL fence is registered");
        }
        Long rto = preFlightMs == null ? null : preFlightMs + checksMs;
        String evidence = """
                Drill of a failover of %s to %s, requested by %s at %s (%s%s).
                Fencing check: old primary %s; fencing methods in order: %s.
                Failover database: %s.
                Consumers bound to %s: %s; holding a session there now: %s.
                Pre-flight:
                %s
                Checks took %d ms; estimated time to repair (pre-flight scripts and checks): %s.
                Problems: %s.
                No binding, job or database was changed."""
                .formatted(op.database(), op.failoverDatabase(), op.requestedBy(), op.requestedAt(), op.reason(),
                        op.ticket() == null ? "" : ", ticket " + op.ticket(),
                        primary.reachable() ? "reachable, would be fenced read-only" : "unreachable: " + primary.error(),
                        methods,
                        failover.reachable() ? "reachable (" + failover.serverVersion() + ")" : "UNREACHABLE: " + failover.error(),
                        op.database(), consumers, onPrimary, preFlight, checksMs,
                        rto == null ? "unknown" : rto + " ms", problems.isEmpty() ? "none" : String.join("; ", problems));
        drills.recordChecks(op, clock.instant(), primary.reachable(), failover.reachable(), preFlightOk, preFlightMs,
                checksMs, rto, wouldFence, methods, consumers, List.copyOf(onPrimary), problems);
        recordEnd(operationId, ContinuityOperation.DRILLED, evidence);
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(checkRow("old primary " + op.database(), primary.reachable() ? "reachable" : "unreachable",
                "would be fenced: " + wouldFence));
        rows.add(checkRow("failover database " + op.failoverDatabase(), failover.reachable() ? "reachable" : "UNREACHABLE",
                failover.reachable() ? String.valueOf(failover.serverVersion()) : String.valueOf(failover.error())));
        rows.add(checkRow("pre-flight", preFlightOk == null ? "unknown" : preFlightOk ? "passed" : "FAILED",
                preFlightMs == null ? "" : preFlightMs + " ms"));
        rows.add(checkRow("consumers to move", String.valueOf(consumers.size()),
                "holding a session on the primary now: " + onPrimary.size()));
        return new DrillOutcome(evidence, problems, rows);
    }

    private static Map<String, Object> checkRow(String check, String result, String detail) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("check", check);
        row.put("result", result);
        row.put("detail", detail);
        return row;
    }

    static String humanDuration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 7_200) {
            return (seconds / 60) + " min " + (seconds % 60) + " s";
        }
        return (seconds / 3_600) + " h " + (seconds % 3_600 / 60) + " min";
    }
}

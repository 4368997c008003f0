package dev.sco.orchestrator.sync;

import java.time.Duration;
import java.util.Map;

import dev.sco.orchestrator.platform.continuity.SyncControl;
import dev.sco.orchestrator.platform.longstep.LongStep;
import dev.sco.orchestrator.platform.longstep.LongStepDeferred;
import dev.sco.orchestrator.platform.longstep.LongStepTask;
import org.springframework.stereotype.Component;

/**
 * Copies every table of the pair whole: a long step (external task {@value #TOPIC}) whose lock the
 * worker extends while the copy runs, so the copy runs on one node at a time however long it takes.
 * Safe to run again: each table is replaced in one target transaction, so a node that takes over
 * after another died copies the same rows once more.
 */
@Component
class FullResyncStep implements LongStep {

    static final String TOPIC = "full-resync";

    /** Why the full copy waits (or why it started), shown on the process while it waits. */
    static final String VAR_WINDOW_DECISION = "fullCopyWindowDecision";

    private final SyncService service;
    private final SyncRepository repository;
    private final SyncRecoveryGuard guard;
    private final FullCopyWindow window;

    FullResyncStep(SyncService service, SyncRepository repository, SyncRecoveryGuard guard, FullCopyWindow window) {
        this.window = window;
        this.service = service;
        this.repository = repository;
        this.guard = guard;
    }

    @Override
    public String topic() {
        return TOPIC;
    }

    /** Six tries 15 minutes apart: a resync due while a run holds the flag waits (the window is waited for without a try). */
    @Override
    public int tries() {
        return 6;
    }

    @Override
    public Duration retryAfter() {
        return Duration.ofMinutes(15);
    }

    @Override
    public void check(LongStepTask task) {
        guard.checkFullResync(task.processInstanceId(), database(task));
    }

    @Override
    public Map<String, Object> run(LongStepTask task) {
        String database = database(task);
        // Not into the maintenance window: a copy that would run into it waits for its end (the
        // task is fetched again then, its tries untouched); the reason is kept on the process.
        SyncControl.FullCopyPlan plan = window.plan(database, database);
        task.progress(VAR_WINDOW_DECISION, plan.reason());
        if (!plan.start()) {
            throw new LongStepDeferred("Full resync of '" + database + "' waits: " + plan.reason(), plan.waitFor());
        }
        // Throws when the copy did not succeed: the step is then tried again (see tries()).
        SyncService.Outcome outcome = service.runFull(database, "process " + task.processInstanceId(),
                rows -> task.progress(SyncRecoveryProcess.VAR_RESYNC_ROWS_SO_FAR, rows));
        long rows = repository.runs(database, 20).stream().filter(r -> r.id() == outcome.runId()).findFirst()
                .map(r -> r.tasks().stream().mapToLong(SyncRepository.Task::rowsCopied).sum()).orElse(0L);
        return Map.of(SyncRecoveryProcess.VAR_RESYNC_RUN, outcome.runId(), SyncRecoveryProcess.VAR_RESYNC_ROWS, rows);
    }

    @Override
    public void completed(LongStepTask task) {
        guard.recordFullResync(task.processInstanceId(), database(task));
    }

    private static String database(LongStepTask task) {
        return (String) task.variable(SyncRecoveryProcess.VAR_DATABASE);
    }
}

package dev.sco.orchestrator.dbfailover;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Map;

import dev.sco.orchestrator.platform.continuity.SyncControl;
import dev.sco.orchestrator.platform.longstep.LongStepDeferred;
import dev.sco.orchestrator.platform.longstep.LongStepTask;
import org.springframework.stereotype.Component;

/**
 * Copies the failover database back onto the primary: a long step (external task {@value #TOPIC})
 * whose lock the worker extends while the copy runs, so it runs on one node at a time however long
 * it takes. Safe to run again: the copy truncates and fills the primary in one transaction. The
 * copy is a clone of the instance's database, so it also sets what the post-clone check needs
 * (clone id and completion time).
 */
@Component
class CopyBackStep extends OperationLongStep {

    static final String TOPIC = "copy-back";

    /** Why the copy back waits (or why it started), shown on the process while it waits. */
    static final String VAR_WINDOW_DECISION = "copyBackWindowDecision";

    private final RestorationService service;
    private final Clock clock;
    private final FencingMethods fencing;
    private final SyncControl sync;

    CopyBackStep(OperationGuard guard, RestorationService service, Clock clock, FencingMethods fencing,
                 SyncControl sync) {
        super(guard, TOPIC);
        this.sync = sync;
        this.service = service;
        this.clock = clock;
        this.fencing = fencing;
    }

    @Override
    Map<String, Object> work(LongStepTask task, ContinuityOperation op) {
        // A full copy onto the primary: not into the pair's maintenance window (the primary's
        // grooming job). One that would run into it waits for the window's end, its tries untouched.
        SyncControl.FullCopyPlan plan = sync.fullCopyPlan(op.database(), op.failoverDatabase());
        task.progress(VAR_WINDOW_DECISION, plan.reason());
        if (!plan.start()) {
            throw new LongStepDeferred("Copy back of '" + op.failoverDatabase() + "' onto '" + op.database()
                    + "' waits: " + plan.reason(), plan.waitFor());
        }
        return work(op);
    }

    @Override
    Map<String, Object> work(ContinuityOperation op) {
        long id = op.id();
        // The copy writes to the primary: a fencing agent that cut it off must let it in first.
        fencing.unfenceByMethod(service.restoredFailover(id), id, op.kind(), op.database());
        long started = System.nanoTime();
        long rows = service.copyBack(id);
        sync.recordCopyBack(op.database(), op.failoverDatabase(), rows, Duration.ofNanos(System.nanoTime() - started));
        return Map.of("rowsCopiedBack", rows, DatabaseRestorationProcess.VAR_CLONE_ID, "restore-" + id,
                DatabaseRestorationProcess.VAR_COMPLETED_AT, Date.from(clock.instant()));
    }
}

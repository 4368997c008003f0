package dev.sco.orchestrator.dbfailover;

import java.util.Map;

import dev.sco.orchestrator.platform.continuity.SyncControl;
import dev.sco.orchestrator.platform.longstep.LongStepDeferred;
import dev.sco.orchestrator.platform.longstep.LongStepTask;
import org.springframework.stereotype.Component;

/**
 * Turns the failover database back into a sync target and resumes sync: a long step (external task
 * {@value #TOPIC}), since it ends with a full copy of the primary onto the failover database. Like
 * every full copy it keeps out of the pair's maintenance window: one that would run into it waits
 * for the window's end, its tries untouched. Safe to run again: the unfence and
 * {@code make-sync-target} are idempotent and the full copy starts the tables afresh.
 */
@Component
class ReinstallSyncStep extends OperationLongStep {

    static final String TOPIC = "reinstall-sync";

    /** Why the reinstall's full copy waits (or why it started), shown on the process while it waits. */
    static final String VAR_WINDOW_DECISION = "reinstallWindowDecision";

    private final RestorationService service;
    private final SyncControl sync;

    ReinstallSyncStep(OperationGuard guard, RestorationService service, SyncControl sync) {
        super(guard, TOPIC);
        this.service = service;
        this.sync = sync;
    }

    @Override
    Map<String, Object> work(LongStepTask task, ContinuityOperation op) {
        SyncControl.FullCopyPlan plan = sync.fullCopyPlan(op.database(), op.database());
        task.progress(VAR_WINDOW_DECISION, plan.reason());
        if (!plan.start()) {
            throw new LongStepDeferred("Full copy of '" + op.database() + "' onto '" + op.failoverDatabase()
                    + "' to reinstall sync waits: " + plan.reason(), plan.waitFor());
        }
        return work(op);
    }

    @Override
    Map<String, Object> work(ContinuityOperation op) {
        service.reinstallSync(op.id());
        return Map.of();
    }
}

package dev.sco.orchestrator.dbfailover;

import java.util.Map;

import dev.sco.orchestrator.platform.longstep.LongStep;
import dev.sco.orchestrator.platform.longstep.LongStepTask;

/**
 * A long step of a failover or restoration: the operation's record is checked by the
 * {@link OperationGuard} before any work (the operation is the one the orchestrator bound to the
 * process instance, and its state allows the step), and the step is written to the step ledger
 * in the transaction that completes the task. Subclasses only do the work.
 */
abstract class OperationLongStep implements LongStep {

    private final OperationGuard guard;
    private final String topic;

    OperationLongStep(OperationGuard guard, String topic) {
        this.guard = guard;
        this.topic = topic;
    }

    @Override
    public final String topic() {
        return topic;
    }

    @Override
    public final void check(LongStepTask task) {
        operation(task);
    }

    @Override
    public final Map<String, Object> run(LongStepTask task) {
        return work(task, operation(task));
    }

    /**
     * The work with its task at hand (to report progress, or to wait with {@code LongStepDeferred});
     * by default the work alone.
     */
    Map<String, Object> work(LongStepTask task, ContinuityOperation op) {
        return work(op);
    }

    /** The work itself, on an operation the guard allowed; answers the variables to set. */
    abstract Map<String, Object> work(ContinuityOperation op);

    @Override
    public final void completed(LongStepTask task) {
        guard.record(task.processInstanceId(), task.activityId(), operation(task));
    }

    private ContinuityOperation operation(LongStepTask task) {
        return guard.check(task.processInstanceId(), task.activityId(),
                task.variable(DatabaseFailoverProcess.VAR_OPERATION_ID));
    }
}

package dev.sco.orchestrator.dbfailover;

import java.util.Map;
import java.util.Set;

import dev.sco.orchestrator.platform.rails.OperationSteps;
import dev.sco.orchestrator.platform.rails.StepRefusedException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * The rail in front of every step of a failover or restoration: the operation is the one the
 * orchestrator bound to this process instance (never an id taken from a variable), and its record
 * must allow the step (approved, not a drill, not ended, fence settled, repaired, the step before
 * done). The step is then written to the step ledger, in the engine's transaction: a step with a
 * side effect runs once per operation.
 */
@Component
class OperationGuard {

    private static final Set<String> REAL_MODES =
            Set.of(DatabaseFailoverProcess.MODE_PLANNED, DatabaseFailoverProcess.MODE_UNPLANNED);

    private final FailoverRepository repository;
    private final OperationSteps steps;
    private final FencingMethodRepository fencing;
    private final Map<String, Rule> rules;

    /** Why the step may not run on this operation, or null when it may. */
    @FunctionalInterface
    private interface Rule {
        String refusal(ContinuityOperation op, String processInstanceId);
    }

    private static Map.Entry<String, Rule> rule(String step, Rule rule) {
        return Map.entry(step, rule);
    }

    OperationGuard(FailoverRepository repository, OperationSteps steps, FencingMethodRepository fencing) {
        this.repository = repository;
        this.fencing = fencing;
        this.steps = steps;
        this.rules = Map.ofEntries(
                rule(DatabaseFailoverProcess.PRE_FLIGHT, (op, pid) -> failover(op, ContinuityOperation.REQUESTED)),
                rule(DatabaseFailoverProcess.DRILL_CHECKS, (op, pid) -> drill(op)),
                rule(DatabaseFailoverProcess.FENCE, (op, pid) -> approvedRealFailover(op)),
                rule(DatabaseFailoverProcess.STOP_SYNC, this::afterFenceOrWritersToConfirm),
                rule(DatabaseFailoverProcess.REMOVE_ORPHANS, this::afterFenceOrWritersToConfirm),
                rule(DatabaseFailoverProcess.RESTORE_UNIQUE_INDEXES, this::afterFenceOrWritersToConfirm),
                rule(DatabaseFailoverProcess.ENABLE_CONSTRAINTS, this::afterFenceOrWritersToConfirm),
                rule(DatabaseFailoverProcess.ADVANCE_SEQUENCES, this::afterFenceOrWritersToConfirm),
                rule(DatabaseFailoverProcess.SWITCH_JOBS, this::afterFenceOrWritersToConfirm),
                rule(DatabaseFailoverProcess.REPOINT, this::afterFenceOrWritersToConfirm),
                rule(DatabaseFailoverProcess.RECONNECT, (op, pid) -> afterStep(afterFenceOrWritersToConfirm(op, pid), pid,
                        DatabaseFailoverProcess.REPOINT)),
                rule(DatabaseFailoverProcess.VERIFY, this::afterFence),
                rule(DatabaseFailoverProcess.VERIFY_AGAIN, this::afterFence),
                rule(DatabaseFailoverProcess.RECORD_DECLINED, (op, pid) -> declined(op)),
                rule(DatabaseFailoverProcess.RECORD_REPAIRED, this::afterFence),
                rule(DatabaseFailoverProcess.RECORD_INCOMPLETE, this::afterFence),
                rule(DatabaseRestorationProcess.FENCE_FAILOVER, (op, pid) -> copyBackPath(op)),
                rule(DatabaseRestorationProcess.BACKUP, (op, pid) -> copyBackPath(op)),
                rule(DatabaseRestorationProcess.COPY_BACK, (op, pid) -> copyBackPath(op)),
                rule(DatabaseRestorationProcess.UNFENCE_PRIMARY, this::primaryReady),
                rule(DatabaseRestorationProcess.SWITCH_JOBS, this::primaryReady),
                rule(DatabaseRestorationProcess.REPOINT, this::primaryReady),
                rule(DatabaseRestorationProcess.RECONNECT, (op, pid) -> afterStep(primaryReady(op, pid), pid,
                        DatabaseRestorationProcess.REPOINT)),
                rule(DatabaseRestorationProcess.VERIFY, this::primaryReady),
                rule(DatabaseRestorationProcess.VERIFY_AGAIN, this::primaryReady),
                rule(DatabaseRestorationProcess.REINSTALL_SYNC,
                        (op, pid) -> after(op, pid, DatabaseRestorationProcess.REPOINT)),
                rule(DatabaseRestorationProcess.RECORD_RESTORED,
                        (op, pid) -> after(op, pid, DatabaseRestorationProcess.REINSTALL_SYNC)));
    }

    /**
     * Steps that may run more than once in one operation: the looks of a verification (a loop with
     * a poll timer), and re-verification after operators moved consumers. They only read, apart
     * from the write probe's marker row.
     */
    private static final Set<String> REPEATABLE = Set.of(DatabaseFailoverProcess.VERIFY, DatabaseFailoverProcess.VERIFY_AGAIN,
            DatabaseRestorationProcess.VERIFY, DatabaseRestorationProcess.VERIFY_AGAIN);

    /**
     * Checks the step this execution is at and records it; returns the operation to act on.
     * Throws {@link StepRefusedException} (nothing done) when the record does not allow it.
     */
    ContinuityOperation begin(DelegateExecution execution) {
        ContinuityOperation op = allowed(execution);
        record(execution, op);
        return op;
    }

    /**
     * For a step that calls out: the same checks as {@link #begin}, and that the step has not run
     * yet, but nothing is written. The engine's transaction then holds no row lock while a
     * receiver answers; the step calls {@link #record} after its calls. Two nodes running the step
     * at once may both call (the receiver drops the repeat by the operation's key); only one
     * records it.
     */
    ContinuityOperation check(DelegateExecution execution) {
        ContinuityOperation op = allowed(execution);
        String step = execution.getCurrentActivityId();
        if (!REPEATABLE.contains(step) && steps.done(execution.getProcessInstanceId(), step)) {
            throw new StepRefusedException("Step " + step + " of operation " + op.id()
                    + " has already run; a step with a side effect runs once per operation");
        }
        return op;
    }

    void record(DelegateExecution execution, ContinuityOperation op) {
        record(execution.getProcessInstanceId(), execution.getCurrentActivityId(), op);
    }

    private ContinuityOperation allowed(DelegateExecution execution) {
        String step = execution.getCurrentActivityId();
        String pid = execution.getProcessInstanceId();
        return check(pid, step, execution.getVariable(DatabaseFailoverProcess.VAR_OPERATION_ID));
    }

    /** The checks of {@link #begin} alone, for a long step that records itself when it completes. */
    ContinuityOperation check(String pid, String step, Object operationVariable) {
        ContinuityOperation op = bound(pid, operationVariable);
        var rule = rules.get(step);
        String refusal = rule == null ? "step " + step + " has no rule; it may not act" : rule.refusal(op, pid);
        if (refusal == null && !REPEATABLE.contains(step) && steps.done(pid, step)) {
            refusal = "it has already run for this operation";
        }
        if (refusal != null) {
            throw new StepRefusedException("Step " + step + " of operation " + op.id() + " (" + op.kind() + " of "
                    + op.database() + ") refused: " + refusal);
        }
        return op;
    }

    /** Writes the step to the step ledger, in the caller's transaction. */
    void record(String pid, String step, ContinuityOperation op) {
        steps.record(pid, step, "continuity-operation:" + op.id(), OperationSteps.ORCHESTRATOR, null,
                REPEATABLE.contains(step));
    }

    /**
     * The operation of a task's process, for a decision a person takes by completing the task. The
     * decision belongs to the authenticated user who completed it; a completion on nobody's behalf
     * (no authenticated user) is refused, and so is a second decision on the same task step.
     */
    Decision decide(DelegateTask task, String expectedKind, String outcome) {
        String pid = task.getProcessInstanceId();
        ContinuityOperation op = bound(pid, task.getVariable(DatabaseFailoverProcess.VAR_OPERATION_ID));
        if (!op.kind().equals(expectedKind) || op.endedAt() != null) {
            throw new StepRefusedException("Task " + task.getTaskDefinitionKey() + " of operation " + op.id()
                    + " refused: the operation is a " + op.kind() + (op.endedAt() != null ? " and has ended" : ""));
        }
        Authentication user = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        if (user == null || user.getUserId() == null) {
            throw new StepRefusedException("Task " + task.getTaskDefinitionKey() + " of operation " + op.id()
                    + " must be completed by an authenticated user: the decision is recorded under their name");
        }
        steps.record(pid, task.getTaskDefinitionKey(), "continuity-operation:" + op.id(), user.getUserId(), outcome,
                REPEATABLE_TASKS.contains(task.getTaskDefinitionKey()));
        return new Decision(op, user.getUserId());
    }

    /** Operator tasks that may come round again (consumers still not moved after a re-check). */
    private static final Set<String> REPEATABLE_TASKS =
            Set.of(DatabaseFailoverProcess.CONSUMERS_NOT_MOVED, DatabaseRestorationProcess.MOVE_REMAINING);

    record Decision(ContinuityOperation operation, String user) {
    }

    private ContinuityOperation bound(String processInstanceId, Object operationVariable) {
        ContinuityOperation op = repository.findByProcess(processInstanceId).orElseThrow(() -> new StepRefusedException(
                "Process " + processInstanceId + " has no continuity operation of its own; its steps may not act"));
        if (operationVariable != null && (!(operationVariable instanceof Number n) || n.longValue() != op.id())) {
            throw new StepRefusedException("Process " + processInstanceId + " works on operation " + op.id()
                    + ", not on " + operationVariable);
        }
        return op;
    }

    private static String failover(ContinuityOperation op, String state) {
        if (!"failover".equals(op.kind())) {
            return "not a failover";
        }
        if (op.endedAt() != null) {
            return "the operation has ended (" + op.state() + ")";
        }
        return state == null || state.equals(op.state()) ? null : "the operation is " + op.state() + ", not " + state;
    }

    private static String drill(ContinuityOperation op) {
        String refusal = failover(op, null);
        if (refusal != null) {
            return refusal;
        }
        return DatabaseFailoverProcess.MODE_DRILL.equals(op.mode()) ? null : "not a drill";
    }

    private static String declined(ContinuityOperation op) {
        return ContinuityOperation.DECLINED.equals(op.state()) ? null : "the operation was not declined";
    }

    private static String approvedRealFailover(ContinuityOperation op) {
        String refusal = failover(op, null);
        if (refusal != null) {
            return refusal;
        }
        if (!REAL_MODES.contains(op.mode())) {
            return "a " + op.mode() + " changes nothing";
        }
        if (op.approvedAt() == null || !Set.of(ContinuityOperation.APPROVED, ContinuityOperation.SWITCHING)
                .contains(op.state())) {
            return "the failover is not approved (state " + op.state() + ")";
        }
        return null;
    }

    private String afterFence(ContinuityOperation op, String pid) {
        String refusal = approvedRealFailover(op);
        if (refusal != null) {
            return refusal;
        }
        if (repository.fenceSettled(op.id())) {
            return null;
        }
        return fencing.fenceState(op.id()).writersPending()
                ? "the old primary's writers have not confirmed the fence yet (they confirm when told to reconnect)"
                : "the old primary is neither fenced nor acknowledged unfenced by a DBA";
    }

    /**
     * The steps that prepare the failover database and move the consumers may also run while the
     * fence waits for the writers' confirmation: the writers can only confirm once they were told to
     * reconnect. Verification and the end (which makes the failover database the acting primary)
     * still need the fence settled, by a method or by a DBA.
     */
    private String afterFenceOrWritersToConfirm(ContinuityOperation op, String pid) {
        String refusal = approvedRealFailover(op);
        if (refusal != null) {
            return refusal;
        }
        return repository.fenceSettled(op.id()) || fencing.fenceState(op.id()).writersPending() ? null
                : "the old primary is neither fenced nor acknowledged unfenced by a DBA";
    }

    private String restoration(ContinuityOperation op) {
        if (!"restoration".equals(op.kind())) {
            return "not a restoration";
        }
        if (op.endedAt() != null) {
            return "the restoration has ended";
        }
        return repository.restorePath(op.id()).isPresent() ? null : "the primary is not reported repaired";
    }

    private String copyBackPath(ContinuityOperation op) {
        String refusal = restoration(op);
        if (refusal != null) {
            return refusal;
        }
        return "copy-back".equals(repository.restorePath(op.id()).orElse(null)) ? null
                : "the repair came in time: the restore path is a repoint, nothing is copied back";
    }

    private String primaryReady(ContinuityOperation op, String pid) {
        String refusal = restoration(op);
        if (refusal != null) {
            return refusal;
        }
        if ("copy-back".equals(repository.restorePath(op.id()).orElse(null))
                && !steps.done(pid, DatabaseRestorationProcess.COPY_BACK)) {
            return "the failover database has not been copied back onto the primary yet";
        }
        return null;
    }

    /** A consumer is told to reconnect only once its binding to the new primary has committed. */
    private String afterStep(String refusal, String pid, String previous) {
        if (refusal != null) {
            return refusal;
        }
        return steps.done(pid, previous) ? null : "step " + previous + " has not run";
    }

    private String after(ContinuityOperation op, String pid, String previous) {
        String refusal = restoration(op);
        if (refusal != null) {
            return refusal;
        }
        return steps.done(pid, previous) ? null : "step " + previous + " has not run";
    }
}

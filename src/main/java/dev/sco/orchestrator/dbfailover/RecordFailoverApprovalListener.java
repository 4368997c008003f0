package dev.sco.orchestrator.dbfailover;

import dev.sco.orchestrator.platform.rails.StepRefusedException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the decision with the operation: approved or declined, by the authenticated user who
 * completed the task (not the task's assignee, which any candidate can set to someone else).
 */
@Component("recordFailoverApprovalListener")
class RecordFailoverApprovalListener implements TaskListener {

    private final FailoverService service;
    private final OperationGuard guard;

    RecordFailoverApprovalListener(FailoverService service, OperationGuard guard) {
        this.service = service;
        this.guard = guard;
    }

    @Override
    public void notify(DelegateTask task) {
        boolean approved = Boolean.TRUE.equals(task.getVariable(DatabaseFailoverProcess.VAR_APPROVED));
        OperationGuard.Decision decision = guard.decide(task, "failover", approved ? "approved" : "declined");
        if (!ContinuityOperation.REQUESTED.equals(decision.operation().state())) {
            throw new StepRefusedException("Failover " + decision.operation().id() + " is "
                    + decision.operation().state() + ": it can no longer be approved or declined");
        }
        service.recordApproval(decision.operation().id(), approved, decision.user());
    }
}

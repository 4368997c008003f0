package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/** Keeps who approved or declined, and when, with the operation. */
@Component("recordFailoverApprovalListener")
class RecordFailoverApprovalListener implements TaskListener {

    private final FailoverService service;

    RecordFailoverApprovalListener(FailoverService service) {
        this.service = service;
    }

    @Override
    public void notify(DelegateTask task) {
        boolean approved = Boolean.TRUE.equals(task.getVariable(DatabaseFailoverProcess.VAR_APPROVED));
        service.recordApproval(FailoverVariables.operationId(task), approved, FailoverVariables.completedBy(task));
    }
}

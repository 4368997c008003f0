package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component("fenceOldPrimaryDelegate")
class FenceOldPrimaryDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final FailoverService service;

    FenceOldPrimaryDelegate(FailoverService service, OperationGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long id = guard.begin(execution).id();
        boolean fenced = service.fence(id);
        execution.setVariable(DatabaseFailoverProcess.VAR_FENCED, fenced);
        execution.setVariable(DatabaseFailoverProcess.VAR_FENCE_DETAIL, service.operation(id).fenceDetail());
    }
}

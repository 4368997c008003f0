package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Waits (bounded) for every consumer to be on the new primary only, and proves it takes writes. */
@Component("verifyConsumersDelegate")
class VerifyConsumersDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final FailoverService service;

    VerifyConsumersDelegate(FailoverService service, OperationGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        FailoverService.Verification result = service.verify(guard.begin(execution).id(), true);
        execution.setVariable(DatabaseFailoverProcess.VAR_ALL_MOVED, result.complete());
        String notMoved = String.join(", ", result.notMoved());
        execution.setVariable(DatabaseFailoverProcess.VAR_NOT_MOVED,
                result.writable() ? notMoved : notMoved + (notMoved.isEmpty() ? "" : "; ") + result.detail());
    }
}

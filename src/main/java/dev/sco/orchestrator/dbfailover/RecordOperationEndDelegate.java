package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Ends the operation's record with the outcome named by the step's input mapping. */
@Component("recordOperationEndDelegate")
class RecordOperationEndDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final FailoverService service;

    RecordOperationEndDelegate(FailoverService service, OperationGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        service.recordEnd(guard.begin(execution).id(), (String) execution.getVariableLocal("outcome"), null);
    }
}

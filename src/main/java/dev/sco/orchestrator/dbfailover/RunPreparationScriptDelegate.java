package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** One preparation script on the failover database; which one comes from the step's input mapping. */
@Component("runPreparationScriptDelegate")
class RunPreparationScriptDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final FailoverService service;

    RunPreparationScriptDelegate(FailoverService service, OperationGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String script = (String) execution.getVariableLocal(DatabaseFailoverProcess.VAR_SCRIPT);
        service.prepare(guard.begin(execution).id(), script);
    }
}

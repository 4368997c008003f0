package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** A drill's fencing check and consumer look-up; records the evidence and changes nothing. */
@Component("drillChecksDelegate")
class DrillChecksDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final FailoverService service;

    DrillChecksDelegate(FailoverService service, OperationGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String preFlight = String.valueOf(execution.getVariable(DatabaseFailoverProcess.VAR_PRE_FLIGHT));
        execution.setVariable("evidence", service.drill(guard.begin(execution).id(), preFlight));
    }
}

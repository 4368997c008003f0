package dev.sco.orchestrator.serverfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Operators chose to fail back: moves back what the failover moved. */
@Component("failBackDelegate")
class FailBackDelegate implements JavaDelegate {

    private final ServerFailoverService service;

    FailBackDelegate(ServerFailoverService service) {
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long outageId = service.begin(execution, false);
        execution.setVariable(ServerFailoverProcess.VAR_FAILED_BACK, service.failBack(outageId));
    }
}

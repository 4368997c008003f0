package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Stops writes to the failover database while it is copied back. */
@Component("fenceFailoverDatabaseDelegate")
class FenceFailoverDatabaseDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final RestorationService service;

    FenceFailoverDatabaseDelegate(RestorationService service, OperationGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        service.fenceFailover(guard.begin(execution).id());
    }
}

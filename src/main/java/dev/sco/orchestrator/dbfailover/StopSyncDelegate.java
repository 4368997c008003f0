package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component("stopSyncDelegate")
class StopSyncDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final FailoverService service;

    StopSyncDelegate(FailoverService service, OperationGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        service.stopSync(guard.begin(execution).id());
    }
}

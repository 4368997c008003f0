package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component("stopSyncDelegate")
class StopSyncDelegate implements JavaDelegate {

    private final FailoverService service;

    StopSyncDelegate(FailoverService service) {
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        service.stopSync(FailoverVariables.operationId(execution));
    }
}

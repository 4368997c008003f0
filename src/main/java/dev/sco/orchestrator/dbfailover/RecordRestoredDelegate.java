package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Ends the restoration and freezes the KPIs of the failover it undid. */
@Component("recordRestoredDelegate")
class RecordRestoredDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final RestorationService service;

    RecordRestoredDelegate(RestorationService service, OperationGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        service.recordRestored(guard.begin(execution).id());
    }
}

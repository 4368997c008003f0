package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Turns the failover database back into a sync target and resumes sync. */
@Component("reinstallSyncDelegate")
class ReinstallSyncDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final RestorationService service;

    ReinstallSyncDelegate(RestorationService service, OperationGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        service.reinstallSync(guard.begin(execution).id());
    }
}

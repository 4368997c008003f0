package dev.sco.orchestrator.sync;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Clears the stop and resumes the pair's trigger; resuming a running schedule changes nothing. */
@Component("resumeSyncScheduleDelegate")
class ResumeSyncScheduleDelegate implements JavaDelegate {

    private final SyncService service;

    ResumeSyncScheduleDelegate(SyncService service) {
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        service.resume((String) execution.getVariable(SyncRecoveryProcess.VAR_DATABASE));
    }
}

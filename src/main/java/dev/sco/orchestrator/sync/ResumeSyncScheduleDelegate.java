package dev.sco.orchestrator.sync;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Clears the stop and resumes the pair's trigger; resuming a running schedule changes nothing. */
@Component("resumeSyncScheduleDelegate")
class ResumeSyncScheduleDelegate implements JavaDelegate {

    private final SyncService service;
    private final SyncRecoveryGuard guard;

    ResumeSyncScheduleDelegate(SyncService service, SyncRecoveryGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        service.resume(guard.beginResume(execution));
    }
}

package dev.sco.orchestrator.serverfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/** When the process ends (also when it is cancelled): the outage is closed with how it ended. */
@Component("closeOutageListener")
class CloseOutageListener implements ExecutionListener {

    private final ServerFailoverService service;

    CloseOutageListener(ServerFailoverService service) {
        this.service = service;
    }

    @Override
    public void notify(DelegateExecution execution) {
        Number outageId = (Number) execution.getVariable(ServerFailoverProcess.VAR_OUTAGE_ID);
        if (outageId == null) {
            return;
        }
        String state;
        if (execution.getVariable(ServerFailoverProcess.VAR_STANDBY) == null) {
            state = Outage.NO_STANDBY;
        } else if (Boolean.TRUE.equals(execution.getVariable(ServerFailoverProcess.VAR_FAILED_BACK))) {
            state = Outage.FAILED_BACK;
        } else {
            state = Outage.KEPT_ON_STANDBY;
        }
        service.close(outageId.longValue(), state);
    }
}

package dev.sco.orchestrator.serverfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * On entering the wait for the server: only from here on may the detector correlate its return,
 * so a server that reports again earlier (while operators register agents) is not lost.
 */
@Component("awaitReturnListener")
class AwaitReturnListener implements ExecutionListener {

    private final ServerFailoverService service;

    AwaitReturnListener(ServerFailoverService service) {
        this.service = service;
    }

    @Override
    public void notify(DelegateExecution execution) {
        service.awaitReturn(((Number) execution.getVariable(ServerFailoverProcess.VAR_OUTAGE_ID)).longValue());
    }
}

package dev.sco.orchestrator.standby;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Sends the master reset event to the event sink (table, then the optional webhook). */
@Component("emitMasterResetDelegate")
class EmitMasterResetDelegate implements JavaDelegate {

    private final TakeoverGuard guard;
    private final StandbyService service;

    EmitMasterResetDelegate(StandbyService service, TakeoverGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        TakeoverVariables takeover = guard.begin(execution);
        StandbyRepository.Event event = service.emitMasterReset(execution.getProcessInstanceId(), takeover.pair(),
                takeover.newActing(), takeover.previous(), takeover.takeoverKey());
        execution.setVariable(HubTakeoverProcess.VAR_MASTER_RESET_EVENT_ID, event.id());
        execution.setVariable(HubTakeoverProcess.VAR_WEBHOOK_STATUS, event.webhookStatus());
    }
}

package dev.sco.orchestrator.standby;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Sends the master reset event to the event sink (table, then the optional webhook). */
@Component("emitMasterResetDelegate")
class EmitMasterResetDelegate implements JavaDelegate {

    private final StandbyService service;

    EmitMasterResetDelegate(StandbyService service) {
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        TakeoverVariables takeover = TakeoverVariables.of(execution);
        StandbyRepository.Event event = service.emitMasterReset(execution.getProcessInstanceId(), takeover.pair(),
                takeover.newActing(), takeover.previous(), takeover.takeoverKey());
        execution.setVariable(HubTakeoverProcess.VAR_MASTER_RESET_EVENT_ID, event.id());
        execution.setVariable(HubTakeoverProcess.VAR_WEBHOOK_STATUS, event.webhookStatus());
    }
}

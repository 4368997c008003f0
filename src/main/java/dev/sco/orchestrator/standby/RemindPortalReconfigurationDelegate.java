package dev.sco.orchestrator.standby;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** The portal task is still open an hour after the takeover: tell the event sink. */
@Component("remindPortalReconfigurationDelegate")
class RemindPortalReconfigurationDelegate implements JavaDelegate {

    private final TakeoverGuard guard;
    private final StandbyService service;

    RemindPortalReconfigurationDelegate(StandbyService service, TakeoverGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        TakeoverVariables takeover = guard.begin(execution);
        service.emitPortalReminder(execution.getProcessInstanceId(), takeover.pair(), takeover.newActing(),
                takeover.takeoverKey());
    }
}

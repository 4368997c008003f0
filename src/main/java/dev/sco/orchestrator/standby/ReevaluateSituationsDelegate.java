package dev.sco.orchestrator.standby;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Marks every situation of the new acting hub for re-evaluation. */
@Component("reevaluateSituationsDelegate")
class ReevaluateSituationsDelegate implements JavaDelegate {

    private final TakeoverGuard guard;
    private final StandbyService service;

    ReevaluateSituationsDelegate(StandbyService service, TakeoverGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        TakeoverVariables takeover = guard.begin(execution);
        int marked = service.reevaluateSituations(takeover.pair(), takeover.newActing(), takeover.takeoverKey());
        execution.setVariable(HubTakeoverProcess.VAR_SITUATIONS_MARKED, marked);
    }
}

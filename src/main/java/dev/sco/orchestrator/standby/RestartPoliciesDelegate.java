package dev.sco.orchestrator.standby;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Sends every running workflow policy of the pair back to its first step. */
@Component("restartPoliciesDelegate")
class RestartPoliciesDelegate implements JavaDelegate {

    private final TakeoverGuard guard;
    private final StandbyService service;

    RestartPoliciesDelegate(StandbyService service, TakeoverGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        TakeoverVariables takeover = guard.begin(execution);
        int restarted = service.restartPolicies(takeover.pair(), takeover.takeoverKey());
        execution.setVariable(HubTakeoverProcess.VAR_POLICIES_RESTARTED, restarted);
    }
}

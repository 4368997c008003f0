package dev.sco.orchestrator.standby;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Sends every running workflow policy of the pair back to its first step. */
@Component("restartPoliciesDelegate")
class RestartPoliciesDelegate implements JavaDelegate {

    private final StandbyService service;

    RestartPoliciesDelegate(StandbyService service) {
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        TakeoverVariables takeover = TakeoverVariables.of(execution);
        int restarted = service.restartPolicies(takeover.pair(), takeover.takeoverKey());
        execution.setVariable(HubTakeoverProcess.VAR_POLICIES_RESTARTED, restarted);
    }
}

package dev.sco.orchestrator.standby;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/** Typed reads of the takeover's variables, shared by its delegates. */
record TakeoverVariables(String pair, String newActing, String previous, String takeoverKey) {

    static TakeoverVariables of(DelegateExecution execution) {
        String key = execution.getProcessBusinessKey();
        return new TakeoverVariables(
                (String) execution.getVariable(HubTakeoverProcess.VAR_PAIR),
                (String) execution.getVariable(HubTakeoverProcess.VAR_NEW_ACTING_HUB),
                (String) execution.getVariable(HubTakeoverProcess.VAR_PREVIOUS_ACTING_HUB),
                key != null ? key : execution.getProcessInstanceId());
    }
}

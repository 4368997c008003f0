package dev.sco.orchestrator.serverfailover;

import java.util.Map;

import dev.sco.orchestrator.platform.forms.FormVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Registers the automatically deployed agents with the standby; lists the manual ones for operators. */
@Component("reregisterAutomaticAgentsDelegate")
class ReregisterAutomaticAgentsDelegate implements JavaDelegate {

    private final ServerFailoverService service;

    ReregisterAutomaticAgentsDelegate(ServerFailoverService service) {
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long outageId = service.begin(execution, false);
        ServerFailoverService.AgentsResult result = service.reregisterAgents(outageId);
        execution.setVariable(ServerFailoverProcess.VAR_AGENTS_MOVED, result.automaticMoved());
        execution.setVariable(ServerFailoverProcess.VAR_MANUAL_AGENTS, result.manualListing());
        execution.setVariable(ServerFailoverProcess.VAR_MANUAL_AGENT_COUNT, result.manual().size());
        // Every agent, one row each, for the task form's table (the text listing above is cut short).
        execution.setVariable(ServerFailoverProcess.VAR_MANUAL_AGENT_ROWS, FormVariables.rows(
                result.manual().stream().map(agent -> Map.of("agent", agent)).toList()));
    }
}

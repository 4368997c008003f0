package dev.sco.orchestrator.postclone;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** After the operator fixed the credentials: is the agent up again? */
@Component("recheckAgentDelegate")
class RecheckAgentDelegate implements JavaDelegate {

    private final PostCloneService service;

    RecheckAgentDelegate(PostCloneService service) {
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long issueId = ((Number) execution.getVariable(AgentIssueProcess.VAR_ISSUE_ID)).longValue();
        execution.setVariable(AgentIssueProcess.VAR_AGENT_UP, service.recheck(issueId));
    }
}

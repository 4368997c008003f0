package dev.sco.orchestrator.postclone;

import java.util.Date;
import java.util.Map;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Component;

/** The engine calls of this feature in one place: start the processes, correlate resolutions. */
@Component
class PostCloneProcesses {

    private final RuntimeService runtime;

    PostCloneProcesses(RuntimeService runtime) {
        this.runtime = runtime;
    }

    String startCheck(String cloneId, String instance, Date completedAt) {
        ProcessInstance started = runtime.startProcessInstanceByKey(PostCloneCheckProcess.KEY, cloneId, Map.of(
                PostCloneCheckProcess.VAR_CLONE_ID, cloneId,
                PostCloneCheckProcess.VAR_INSTANCE, instance,
                PostCloneCheckProcess.VAR_COMPLETED_AT, completedAt));
        return started.getId();
    }

    String startIssue(PostCloneRepository.NewIssue issue) {
        ProcessInstance started = runtime.startProcessInstanceByKey(AgentIssueProcess.KEY,
                AgentIssueProcess.businessKey(issue.id()), Map.of(
                        AgentIssueProcess.VAR_ISSUE_ID, issue.id(),
                        AgentIssueProcess.VAR_AGENT, issue.agent(),
                        AgentIssueProcess.VAR_USER, issue.user(),
                        AgentIssueProcess.VAR_MESSAGE, issue.message()));
        return started.getId();
    }

    /** Ends the operator task of a resolved issue; an issue whose process already ended is fine. */
    void issueResolved(long issueId) {
        runtime.createMessageCorrelation(AgentIssueProcess.MESSAGE_RESOLVED)
                .processInstanceBusinessKey(AgentIssueProcess.businessKey(issueId))
                .correlateAllWithResult();
    }

    void issueRemoved(String processInstanceId) {
        if (runtime.createProcessInstanceQuery().processInstanceId(processInstanceId).count() > 0) {
            runtime.deleteProcessInstance(processInstanceId, "issue removed by retention", true, true);
        }
    }
}

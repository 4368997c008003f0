package dev.sco.orchestrator.postclone;

import java.util.Date;
import java.util.Map;

import dev.sco.orchestrator.platform.AsSystem;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Component;

/**
 * The engine calls of this feature in one place: start the processes, correlate resolutions.
 * They run on the orchestrator's own account (the API caller was authorized already).
 */
@Component
class PostCloneProcesses {

    private final RuntimeService runtime;
    private final AsSystem system;

    PostCloneProcesses(RuntimeService runtime, AsSystem system) {
        this.runtime = runtime;
        this.system = system;
    }

    String startCheck(String cloneId, String instance, Date completedAt, String reportedBy) {
        Map<String, Object> variables = Map.of(
                PostCloneCheckProcess.VAR_CLONE_ID, cloneId,
                PostCloneCheckProcess.VAR_INSTANCE, instance,
                PostCloneCheckProcess.VAR_COMPLETED_AT, completedAt,
                PostCloneCheckProcess.VAR_REPORTED_BY, reportedBy);
        return system.call(() -> runtime.startProcessInstanceByKey(PostCloneCheckProcess.KEY, cloneId, variables))
                .getId();
    }

    String startIssue(PostCloneRepository.NewIssue issue) {
        Map<String, Object> variables = Map.of(
                AgentIssueProcess.VAR_ISSUE_ID, issue.id(),
                AgentIssueProcess.VAR_AGENT, issue.agent(),
                AgentIssueProcess.VAR_USER, issue.user(),
                AgentIssueProcess.VAR_MESSAGE, issue.message());
        ProcessInstance started = system.call(() -> runtime.startProcessInstanceByKey(AgentIssueProcess.KEY,
                AgentIssueProcess.businessKey(issue.id()), variables));
        return started.getId();
    }

    /** Ends the operator task of a resolved issue; an issue whose process already ended is fine. */
    void issueResolved(long issueId) {
        system.run(() -> runtime.createMessageCorrelation(AgentIssueProcess.MESSAGE_RESOLVED)
                .processInstanceBusinessKey(AgentIssueProcess.businessKey(issueId))
                .correlateAllWithResult());
    }

    void issueRemoved(String processInstanceId) {
        system.run(() -> {
            if (runtime.createProcessInstanceQuery().processInstanceId(processInstanceId).count() > 0) {
                runtime.deleteProcessInstance(processInstanceId, "issue removed by retention", true, true);
            }
        });
    }
}

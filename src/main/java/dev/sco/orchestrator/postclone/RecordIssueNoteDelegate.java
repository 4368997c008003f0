package dev.sco.orchestrator.postclone;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Keeps the operator's note with the issue when the credentials were right but the agent stays down. */
@Component("recordIssueNoteDelegate")
class RecordIssueNoteDelegate implements JavaDelegate {

    private final PostCloneService service;

    RecordIssueNoteDelegate(PostCloneService service) {
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long issueId = ((Number) execution.getVariable(AgentIssueProcess.VAR_ISSUE_ID)).longValue();
        Object note = execution.getVariable(AgentIssueProcess.VAR_NOTE);
        service.recordNote(issueId, note == null ? "" : note.toString());
    }
}

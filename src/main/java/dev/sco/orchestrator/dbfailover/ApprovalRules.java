package dev.sco.orchestrator.dbfailover;

import java.util.Map;

import dev.sco.orchestrator.platform.OrchestratorProperties;
import dev.sco.orchestrator.platform.rails.TaskRules;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

/**
 * Four eyes on a failover and a restoration: the user who requested the operation may not give
 * its go-ahead (approve the failover, report the primary repaired), unless the setting
 * {@code ORCHESTRATOR_REQUESTER_MAY_APPROVE} allows it (allowed by default in the demo estate only).
 */
@Component
class ApprovalRules {

    private final FailoverRepository repository;
    private final boolean requesterMayApprove;

    ApprovalRules(FailoverRepository repository, FailoverSettings settings, OrchestratorProperties properties) {
        this.repository = repository;
        this.requesterMayApprove = settings.requesterMayApprove(properties.demoEnabled());
    }

    void check(String taskDefinitionKey, String goAheadTask, String processInstanceId, String userId) {
        if (requesterMayApprove || !goAheadTask.equals(taskDefinitionKey)) {
            return;
        }
        repository.findByProcess(processInstanceId).filter(op -> userId.equals(op.requestedBy())).ifPresent(op -> {
            throw new AuthorizationException("User '" + userId + "' requested " + op.kind() + " " + op.id()
                    + " and may not also give its go-ahead: another member of the group must complete this task");
        });
    }

    /**
     * A declined failover says why: the approval completed without {@code approved = true} needs a
     * non-blank {@code decisionNote} (the approval form asks for it as soon as the box is unticked);
     * a drill's findings are reviewed with a note of what was done.
     */
    static void checkDecline(String taskDefinitionKey, Map<String, Object> variables) {
        if (DatabaseFailoverProcess.REVIEW_DRILL.equals(taskDefinitionKey)
                && (!(variables.get("reviewNote") instanceof String note) || note.isBlank())) {
            throw new FormFieldValidationException("reviewNote",
                    "Say what was done about the drill's findings: 'reviewNote' is required");
        }
        if (!DatabaseFailoverProcess.APPROVE.equals(taskDefinitionKey)
                || Boolean.TRUE.equals(variables.get(DatabaseFailoverProcess.VAR_APPROVED))) {
            return;
        }
        Object note = variables.get(DatabaseFailoverProcess.VAR_DECISION_NOTE);
        if (!(note instanceof String text) || text.isBlank()) {
            throw new FormFieldValidationException(DatabaseFailoverProcess.VAR_DECISION_NOTE,
                    "A declined failover needs a reason: fill in 'decisionNote' (or approve with approved = true)");
        }
    }

    /** One process's go-ahead task, checked by the engine on every completion. */
    record GoAhead(String processKey, String task, ApprovalRules rules) implements TaskRules {

        @Override
        public void checkCompletion(String taskDefinitionKey, String processInstanceId, String userId) {
            rules.check(taskDefinitionKey, task, processInstanceId, userId);
        }

        @Override
        public void checkValues(String taskDefinitionKey, Map<String, Object> variables) {
            if (DatabaseFailoverProcess.KEY.equals(processKey)) {
                checkDecline(taskDefinitionKey, variables);
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class GoAheadTasks {

        @Bean
        TaskRules failoverApproval(ApprovalRules rules) {
            return new GoAhead(DatabaseFailoverProcess.KEY, DatabaseFailoverProcess.APPROVE, rules);
        }

        @Bean
        TaskRules restorationGoAhead(ApprovalRules rules) {
            return new GoAhead(DatabaseRestorationProcess.KEY, DatabaseRestorationProcess.REPAIR_PRIMARY, rules);
        }
    }
}

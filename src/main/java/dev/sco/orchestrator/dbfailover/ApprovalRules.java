package dev.sco.orchestrator.dbfailover;

import dev.sco.orchestrator.platform.OrchestratorProperties;
import org.camunda.bpm.engine.AuthorizationException;
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

    boolean requesterMayApprove() {
        return requesterMayApprove;
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

    @Component
    static class FailoverApproval implements dev.sco.orchestrator.platform.rails.TaskRules {

        private final ApprovalRules rules;

        FailoverApproval(ApprovalRules rules) {
            this.rules = rules;
        }

        @Override
        public String processKey() {
            return DatabaseFailoverProcess.KEY;
        }

        @Override
        public void checkCompletion(String taskDefinitionKey, String processInstanceId, String userId) {
            rules.check(taskDefinitionKey, DatabaseFailoverProcess.APPROVE, processInstanceId, userId);
        }
    }

    @Component
    static class RestorationGoAhead implements dev.sco.orchestrator.platform.rails.TaskRules {

        private final ApprovalRules rules;

        RestorationGoAhead(ApprovalRules rules) {
            this.rules = rules;
        }

        @Override
        public String processKey() {
            return DatabaseRestorationProcess.KEY;
        }

        @Override
        public void checkCompletion(String taskDefinitionKey, String processInstanceId, String userId) {
            rules.check(taskDefinitionKey, DatabaseRestorationProcess.REPAIR_PRIMARY, processInstanceId, userId);
        }
    }
}

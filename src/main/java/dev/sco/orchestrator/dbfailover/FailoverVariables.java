package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.VariableScope;

/** Typed reads of the failover process's variables, shared by its delegates and listeners. */
final class FailoverVariables {

    private FailoverVariables() {
    }

    static long operationId(VariableScope scope) {
        return ((Number) scope.getVariable(DatabaseFailoverProcess.VAR_OPERATION_ID)).longValue();
    }

    /** The user who completed a task: the assignee, else the authenticated user. */
    static String completedBy(org.camunda.bpm.engine.delegate.DelegateTask task) {
        if (task.getAssignee() != null) {
            return task.getAssignee();
        }
        String user = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication() == null ? null
                : task.getProcessEngineServices().getIdentityService().getCurrentAuthentication().getUserId();
        return user == null ? "unknown" : user;
    }
}

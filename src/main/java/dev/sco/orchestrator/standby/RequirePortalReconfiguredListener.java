package dev.sco.orchestrator.standby;

import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * The portal cannot follow a takeover by itself, so the operator task only completes with the
 * tick "portal reconfigured" (a form's required boolean still accepts false). Keeps who ticked it.
 */
@Component("requirePortalReconfiguredListener")
class RequirePortalReconfiguredListener implements TaskListener {

    @Override
    public void notify(DelegateTask task) {
        if (!Boolean.TRUE.equals(task.getVariable(HubTakeoverProcess.VAR_PORTAL_RECONFIGURED))) {
            throw new ProcessEngineException("Reconfigure the portal server to the acting hub "
                    + task.getVariable(HubTakeoverProcess.VAR_NEW_ACTING_HUB)
                    + " and tick 'Portal reconfigured' before completing this task");
        }
        task.setVariable(HubTakeoverProcess.VAR_PORTAL_RECONFIGURED_BY, operator(task));
    }

    private static String operator(DelegateTask task) {
        if (task.getAssignee() != null) {
            return task.getAssignee();
        }
        Authentication authentication = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        return authentication != null && authentication.getUserId() != null ? authentication.getUserId() : "unknown";
    }
}

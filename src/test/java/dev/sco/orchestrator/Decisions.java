package dev.sco.orchestrator;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;

/**
 * Completes a decision task (approval, acknowledgement, repair report) the way Tasklist does: as an
 * authenticated member of a group. The orchestrator records decisions under the authenticated
 * user's name and refuses a decision taken on nobody's behalf.
 */
public final class Decisions {

    private Decisions() {
    }

    public static void completeAs(ProcessEngine engine, String user, String group, String taskId,
                                  Map<String, Object> variables) {
        engine.getIdentityService().setAuthentication(user, List.of(group));
        try {
            engine.getTaskService().complete(taskId, variables);
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
    }
}

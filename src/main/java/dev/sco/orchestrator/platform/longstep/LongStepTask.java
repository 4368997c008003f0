package dev.sco.orchestrator.platform.longstep;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One locked external task as a long step sees it: its process instance, its activity, the
 * process variables, and a way to publish progress while it runs (a variable written in its own
 * transaction, visible in Cockpit at once).
 */
public record LongStepTask(String id, String processInstanceId, String activityId, Map<String, Object> variables,
                           BiConsumer<String, Object> progress) {

    public Object variable(String name) {
        return variables.get(name);
    }

    public void progress(String variable, Object value) {
        progress.accept(variable, value);
    }
}

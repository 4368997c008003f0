package dev.sco.orchestrator.platform.rails;

import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Holds the engine-level rails until the engine exists: the command guard is installed while the
 * engine is configured, and starts checking once the engine is built (the engine's own start-up
 * commands run before that, on no user's behalf anyway).
 */
@Component
public class EngineRails {

    private final ObjectProvider<TaskRules> taskRules;
    private volatile ProcessEngine engine;
    private volatile Map<String, TaskRules> rulesByProcess;
    private final EngineCommandGuard guard;

    EngineRails(ObjectProvider<TaskRules> taskRules) {
        this.taskRules = taskRules;
        this.guard = new EngineCommandGuard(() -> engine, this::rules);
    }

    public CommandInterceptor commandGuard() {
        return guard;
    }

    public void engineBuilt(ProcessEngine processEngine) {
        this.engine = processEngine;
    }

    private Map<String, TaskRules> rules() {
        Map<String, TaskRules> rules = rulesByProcess;
        if (rules == null) {
            rules = EngineCommandGuard.byProcess(taskRules.orderedStream().toList());
            rulesByProcess = rules;
        }
        return rules;
    }
}

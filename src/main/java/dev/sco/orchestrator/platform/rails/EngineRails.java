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

    EngineRails(ObjectProvider<TaskRules> taskRules) {
        this.taskRules = taskRules;
    }

    /**
     * A new guard for each of the engine's command chains. An interceptor holds the next link of
     * its chain, so one instance in two chains ends up in front of the last chain built: every
     * command then ran in the chain that opens a transaction of its own (REQUIRES_NEW), never
     * joining the caller's, and a sensor's row and the process it started did not commit together.
     */
    public CommandInterceptor commandGuard() {
        return new EngineCommandGuard(() -> engine, this::rules);
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

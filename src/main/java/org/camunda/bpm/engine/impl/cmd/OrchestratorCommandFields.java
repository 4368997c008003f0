package org.camunda.bpm.engine.impl.cmd;

import java.util.Map;

import org.camunda.bpm.engine.impl.ProcessInstantiationBuilderImpl;

/**
 * Read access to what an engine command was asked to do, for the orchestrator's command guard
 * ({@code dev.sco.orchestrator.platform.rails.EngineCommandGuard}). The engine keeps these fields
 * protected and offers no getters; this class lives in the engine's package so the guard can read
 * them without reflection. It only reads; it never changes a command.
 */
public final class OrchestratorCommandFields {

    private OrchestratorCommandFields() {
    }

    public static ProcessInstantiationBuilderImpl instantiation(StartProcessInstanceCmd command) {
        return command.instantiationBuilder;
    }

    public static String taskId(CompleteTaskCmd command) {
        return command.taskId;
    }

    public static Map<String, Object> variables(CompleteTaskCmd command) {
        return command.variables;
    }

    public static String taskId(SubmitTaskFormCmd command) {
        return command.taskId;
    }

    public static Map<String, Object> variables(SubmitTaskFormCmd command) {
        return command.properties;
    }

    /** True when a variable command writes to the task itself only (task-local), not to its process. */
    public static boolean local(AbstractVariableCmd command) {
        return command.isLocal;
    }

    public static boolean local(AbstractPatchVariablesCmd command) {
        return command.isLocal;
    }
}

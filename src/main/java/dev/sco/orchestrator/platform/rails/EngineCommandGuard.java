package dev.sco.orchestrator.platform.rails;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.sco.orchestrator.platform.Groups;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineServices;
import org.camunda.bpm.engine.form.FormField;
import org.camunda.bpm.engine.form.TaskFormData;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.impl.ProcessInstanceModificationBuilderImpl;
import org.camunda.bpm.engine.impl.cmd.AbstractModificationCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractPatchVariablesCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractRestartProcessInstanceCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractVariableCmd;
import org.camunda.bpm.engine.impl.cmd.CompleteTaskCmd;
import org.camunda.bpm.engine.impl.cmd.OrchestratorCommandFields;
import org.camunda.bpm.engine.impl.cmd.PatchTaskVariablesCmd;
import org.camunda.bpm.engine.impl.cmd.RemoveTaskVariablesCmd;
import org.camunda.bpm.engine.impl.cmd.SetTaskVariablesCmd;
import org.camunda.bpm.engine.impl.cmd.StartProcessInstanceAtActivitiesCmd;
import org.camunda.bpm.engine.impl.cmd.StartProcessInstanceCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitTaskFormCmd;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.migration.AbstractMigrationCmd;
import org.camunda.bpm.engine.task.Task;

/**
 * Engine-level rails, whatever the entrance (engine REST API, the web apps' API, Java calls made on
 * behalf of a user). For an authenticated user outside {@link Groups#ADMIN}:
 * <ul>
 *   <li>a process starts only at its start event: start instructions, skipping listeners or
 *       input/output mappings, process instance modification, restart and migration are refused;</li>
 *   <li>a task is completed only with the values its form asks for: any other variable (the
 *       process's steering variables such as {@code mode} or {@code operationId}) is refused, and
 *       so are writes to a task's process variables outside a completion;</li>
 *   <li>the process's {@link TaskRules} decide who may complete the task (no self-approval).</li>
 * </ul>
 * Work the orchestrator does on its own account (no authenticated user: sensors, jobs) passes.
 */
final class EngineCommandGuard extends CommandInterceptor {

    private final Supplier<ProcessEngineServices> engine;
    private final Supplier<Map<String, TaskRules>> taskRules;
    private final Map<String, String> processKeys = new ConcurrentHashMap<>();

    EngineCommandGuard(Supplier<ProcessEngineServices> engine, Supplier<Map<String, TaskRules>> taskRules) {
        this.engine = engine;
        this.taskRules = taskRules;
    }

    @Override
    public <T> T execute(Command<T> command) {
        ProcessEngineServices services = engine.get();
        if (services == null) {
            return next.execute(command);
        }
        IdentityService identity = services.getIdentityService();
        Authentication user = identity.getCurrentAuthentication();
        if (user != null && user.getUserId() != null) {
            if (!isAdmin(user)) {
                check(command, user);
            }
            checkCompletion(command, user, identity);
        }
        return next.execute(command);
    }

    private static boolean isAdmin(Authentication user) {
        return user.getGroupIds() != null && user.getGroupIds().contains(Groups.ADMIN);
    }

    private void check(Command<?> command, Authentication user) {
        if (command instanceof StartProcessInstanceAtActivitiesCmd) {
            throw refused(user, "start a process at an inner activity (startInstructions)");
        }
        if (command instanceof StartProcessInstanceCmd start) {
            ProcessInstanceModificationBuilderImpl modification =
                    OrchestratorCommandFields.instantiation(start).getModificationBuilder();
            if (modification != null && (modification.isSkipCustomListeners() || modification.isSkipIoMappings()
                    || !modification.getModificationOperations().isEmpty())) {
                throw refused(user, "start a process skipping its listeners or input/output mappings");
            }
        }
        if (command instanceof AbstractModificationCmd || command instanceof AbstractRestartProcessInstanceCmd
                || command instanceof AbstractMigrationCmd) {
            throw refused(user, "modify, restart or migrate process instances");
        }
        if ((command instanceof SetTaskVariablesCmd || command instanceof RemoveTaskVariablesCmd)
                && !OrchestratorCommandFields.local((AbstractVariableCmd) command)) {
            throw refused(user, "write process variables through a task; complete the task with its form instead");
        }
        if (command instanceof PatchTaskVariablesCmd patch && !OrchestratorCommandFields.local((AbstractPatchVariablesCmd) patch)) {
            throw refused(user, "write process variables through a task; complete the task with its form instead");
        }
    }

    /** Completions are checked for administrators too: four eyes and steering variables hold for everyone. */
    private void checkCompletion(Command<?> command, Authentication user, IdentityService identity) {
        if (command instanceof CompleteTaskCmd complete) {
            checkCompletion(OrchestratorCommandFields.taskId(complete), OrchestratorCommandFields.variables(complete),
                    user, identity);
        }
        if (command instanceof SubmitTaskFormCmd submit) {
            checkCompletion(OrchestratorCommandFields.taskId(submit), OrchestratorCommandFields.variables(submit),
                    user, identity);
        }
    }

    /**
     * The task and its form are read on the orchestrator's own account: the user may see the task
     * only as a candidate, and a missing task is left for the engine to report as it always does.
     */
    private void checkCompletion(String taskId, Map<String, Object> variables, Authentication user,
                                 IdentityService identity) {
        Task task;
        TaskFormData form;
        String processKey;
        identity.clearAuthentication();
        try {
            task = taskId == null ? null : engine.get().getTaskService().createTaskQuery().taskId(taskId).singleResult();
            if (task == null) {
                return;
            }
            form = engine.get().getFormService().getTaskFormData(taskId);
            processKey = task.getProcessDefinitionId() == null ? null
                    : processKeys.computeIfAbsent(task.getProcessDefinitionId(),
                            id -> engine.get().getRepositoryService().getProcessDefinition(id).getKey());
        } finally {
            identity.setAuthentication(user);
        }
        Set<String> writable = form == null ? Set.of() : form.getFormFields().stream()
                .filter(field -> !readOnly(field)).map(FormField::getId).collect(Collectors.toSet());
        if (variables != null) {
            for (String name : variables.keySet()) {
                if (!writable.contains(name)) {
                    // The engine REST API answers this exception type 400 for complete and submit-form alike.
                    throw new FormFieldValidationException(name, "Variable '" + name + "' is not a field of the form of task '"
                            + task.getName() + "'; a task completion may set only " + writable.stream().sorted().toList());
                }
            }
        }
        TaskRules rules = processKey == null ? null : taskRules.get().get(processKey);
        if (rules != null) {
            rules.checkCompletion(task.getTaskDefinitionKey(), task.getProcessInstanceId(), user.getUserId());
            rules.checkValues(task.getTaskDefinitionKey(), variables == null ? Map.of() : variables);
        }
    }

    private static boolean readOnly(FormField field) {
        return field.getValidationConstraints().stream().anyMatch(c -> "readonly".equals(c.getName()));
    }

    private static AuthorizationException refused(Authentication user, String what) {
        return new AuthorizationException("User '" + user.getUserId() + "' may not " + what
                + ": only members of " + Groups.ADMIN + " may");
    }

    static Map<String, TaskRules> byProcess(List<TaskRules> rules) {
        return rules.stream().collect(Collectors.toMap(TaskRules::processKey, r -> r));
    }
}

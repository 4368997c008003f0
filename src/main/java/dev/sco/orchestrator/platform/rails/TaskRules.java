package dev.sco.orchestrator.platform.rails;

/**
 * Extra conditions on who may complete a user task, beyond its candidate group: for example that
 * the requester of a failover cannot approve it. Checked by the engine on every completion by a
 * user (engine REST, Tasklist, Java API with an authenticated user).
 */
public interface TaskRules {

    /** The process whose tasks this bean checks. */
    String processKey();

    /**
     * Throws {@code org.camunda.bpm.engine.AuthorizationException} when {@code userId} may not
     * complete the task (answered 403).
     */
    void checkCompletion(String taskDefinitionKey, String processInstanceId, String userId);

    /**
     * Checks the values a user completes the task with, when a field depends on another (a decline
     * needs a reason). Throws {@code org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException}
     * naming the field (answered 400). {@code variables} holds only the task's writable form fields.
     */
    default void checkValues(String taskDefinitionKey, java.util.Map<String, Object> variables) {
    }
}

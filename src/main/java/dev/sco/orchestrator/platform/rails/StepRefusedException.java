package dev.sco.orchestrator.platform.rails;

import org.camunda.bpm.engine.ProcessEngineException;

/**
 * A step with a side effect found that its operation's record does not allow it (not approved, a
 * drill, ended, not this process's operation, already done). It acts on nothing; the job fails and,
 * once its retries are spent, shows as an incident naming the reason.
 */
public class StepRefusedException extends ProcessEngineException {

    public StepRefusedException(String message) {
        super(message);
    }
}

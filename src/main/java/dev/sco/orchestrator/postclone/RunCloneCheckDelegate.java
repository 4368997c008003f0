package dev.sco.orchestrator.postclone;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** One timed check (its number comes from the task's input mapping). */
@Component("runCloneCheckDelegate")
class RunCloneCheckDelegate implements JavaDelegate {

    private final PostCloneService service;

    RunCloneCheckDelegate(PostCloneService service) {
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String cloneId = (String) execution.getVariable(PostCloneCheckProcess.VAR_CLONE_ID);
        int checkNumber = Integer.parseInt(String.valueOf(execution.getVariableLocal(PostCloneCheckProcess.VAR_CHECK_NUMBER)));
        int down = service.runCheck(cloneId, checkNumber);
        if (down >= 0) {
            execution.setVariable(PostCloneCheckProcess.VAR_AGENTS_DOWN + checkNumber, down);
        }
    }
}

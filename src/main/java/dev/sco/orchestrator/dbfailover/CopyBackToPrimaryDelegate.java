package dev.sco.orchestrator.dbfailover;

import java.time.Clock;
import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Copies the failover database back onto the primary. That copy is a clone of the instance's
 * database, so it also sets what the post-clone check needs (clone id and completion time).
 */
@Component("copyBackToPrimaryDelegate")
class CopyBackToPrimaryDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final RestorationService service;
    private final Clock clock;

    CopyBackToPrimaryDelegate(RestorationService service, Clock clock, OperationGuard guard) {
        this.guard = guard;
        this.service = service;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long id = guard.begin(execution).id();
        execution.setVariable("rowsCopiedBack", service.copyBack(id));
        execution.setVariable(DatabaseRestorationProcess.VAR_CLONE_ID, "restore-" + id);
        execution.setVariable(DatabaseRestorationProcess.VAR_COMPLETED_AT, Date.from(clock.instant()));
    }
}

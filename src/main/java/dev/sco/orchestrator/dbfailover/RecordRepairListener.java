package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * When a DBA reports the primary repaired (the go-ahead of the restoration, recorded under the
 * authenticated user's name): was it in time to repoint straight back?
 */
@Component("recordRepairListener")
class RecordRepairListener implements TaskListener {

    private final RestorationService service;
    private final OperationGuard guard;

    RecordRepairListener(RestorationService service, OperationGuard guard) {
        this.service = service;
        this.guard = guard;
    }

    @Override
    public void notify(DelegateTask task) {
        OperationGuard.Decision decision = guard.decide(task, "restoration", "repaired");
        task.getExecution().setVariable(DatabaseRestorationProcess.VAR_REPAIRED_IN_TIME,
                service.repaired(decision.operation().id()));
    }
}

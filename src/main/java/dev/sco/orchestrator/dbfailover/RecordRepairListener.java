package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/** When the DBA reports the primary repaired: was it in time to repoint straight back? */
@Component("recordRepairListener")
class RecordRepairListener implements TaskListener {

    private final RestorationService service;

    RecordRepairListener(RestorationService service) {
        this.service = service;
    }

    @Override
    public void notify(DelegateTask task) {
        task.getExecution().setVariable(DatabaseRestorationProcess.VAR_REPAIRED_IN_TIME,
                service.repaired(FailoverVariables.operationId(task)));
    }
}

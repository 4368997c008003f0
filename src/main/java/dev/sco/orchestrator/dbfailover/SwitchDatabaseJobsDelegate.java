package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component("switchDatabaseJobsDelegate")
class SwitchDatabaseJobsDelegate implements JavaDelegate {

    private final FailoverService service;

    SwitchDatabaseJobsDelegate(FailoverService service) {
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        service.switchDatabaseJobs(FailoverVariables.operationId(execution));
    }
}

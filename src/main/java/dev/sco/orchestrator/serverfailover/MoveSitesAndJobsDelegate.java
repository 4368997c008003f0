package dev.sco.orchestrator.serverfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Moves the failed server's sites and jobs, except gathering jobs, to its standby. */
@Component("moveSitesAndJobsDelegate")
class MoveSitesAndJobsDelegate implements JavaDelegate {

    private final ServerFailoverService service;

    MoveSitesAndJobsDelegate(ServerFailoverService service) {
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long outageId = service.begin(execution, false);
        execution.setVariable(ServerFailoverProcess.VAR_SITES_AND_JOBS_MOVED, service.moveSitesAndJobs(outageId));
    }
}

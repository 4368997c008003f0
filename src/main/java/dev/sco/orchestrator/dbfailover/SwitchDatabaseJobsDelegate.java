package dev.sco.orchestrator.dbfailover;

import java.util.List;

import dev.sco.orchestrator.platform.http.OutsideTransaction;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Switches the database jobs of a failover or restoration ({@link DatabaseJobSwitch}): the statements
 * run on the targets with the engine's transaction suspended (each result written on its own), then
 * the step's ledger row and the jobs' new states are written in the engine's transaction. A failure
 * to enable a job on the new side fails the step (retried, then an incident), leaving no ledger row.
 */
@Component("switchDatabaseJobsDelegate")
class SwitchDatabaseJobsDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final DatabaseJobSwitch jobs;
    private final DatabaseJobRepository repository;
    private final OutsideTransaction outside;
    private final java.time.Clock clock;

    SwitchDatabaseJobsDelegate(OperationGuard guard, DatabaseJobSwitch jobs, DatabaseJobRepository repository,
                               OutsideTransaction outside, java.time.Clock clock) {
        this.guard = guard;
        this.jobs = jobs;
        this.repository = repository;
        this.outside = outside;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        ContinuityOperation op = guard.check(execution);
        List<DatabaseJobSwitch.Switched> switched = outside.call(() -> jobs.switchJobs(op));
        guard.record(execution, op);
        for (DatabaseJobSwitch.Switched s : switched) {
            repository.setEnabled(s.database(), s.job(), s.enabled(), clock.instant());
        }
    }
}

package dev.sco.orchestrator.serverfailover;

import dev.sco.orchestrator.platform.http.OutsideTransaction;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tells a management server what it runs now: the standby after the move
 * ({@code ServiceTask_TellStandby}), the server that is back after a failback
 * ({@code ServiceTask_TellServerBack}). Which one follows from the step, not from a variable; what
 * to tell follows from the outage's record of moves. The moves have committed in an earlier step;
 * the rail only reads before the call, the call runs with the engine's transaction suspended, the
 * step's ledger row is written after it, and every call is recorded at once
 * ({@code GET /api/servers/{name}/failovers/{id}/callouts}), so a failed call stays visible. While
 * the engine will try again, a server not told fails the step; on the last try the process goes on
 * with the failure recorded and in variable {@code standbyTold} / {@code serverToldBack}: a dead
 * standby must not hold up the rest of the failover.
 */
@Component("tellAssignmentDelegate")
class TellAssignmentDelegate implements JavaDelegate {

    private static final Logger log = LoggerFactory.getLogger(TellAssignmentDelegate.class);

    private final ServerFailoverService service;
    private final AssignmentCallouts callouts;
    private final OutsideTransaction outside;

    TellAssignmentDelegate(ServerFailoverService service, AssignmentCallouts callouts, OutsideTransaction outside) {
        this.service = service;
        this.callouts = callouts;
        this.outside = outside;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String step = execution.getCurrentActivityId();
        boolean failback = ServerFailoverProcess.TELL_SERVER_BACK.equals(step);
        if (!failback && !ServerFailoverProcess.TELL_STANDBY.equals(step)) {
            throw new IllegalStateException("tellAssignmentDelegate does not belong to step " + step);
        }
        String variable = failback ? ServerFailoverProcess.VAR_SERVER_TOLD : ServerFailoverProcess.VAR_STANDBY_TOLD;
        long outageId = service.beginCallout(execution);
        Assignment assignment = service.assignment(outageId, failback ? Assignment.FAILBACK : Assignment.FAILOVER);
        if (assignment == null) {
            service.done(execution, outageId);
            execution.setVariable(variable, "nothing moved back, nobody told");
            return;
        }
        AssignmentCallouts.Result result = outside.call(() -> {
            AssignmentCallouts.Result r = callouts.tell(assignment);
            service.recordTelling(assignment, r);
            return r;
        });
        if (AssignmentCallouts.NOT_TOLD.equals(result.outcome()) && engineTriesAgain()) {
            throw new IllegalStateException("Server " + assignment.server() + " not told of its " + assignment.direction()
                    + " assignment (" + result.detail() + "); the engine tries this step again");
        }
        if (!result.told()) {
            log.warn("Outage {}: {} was not told of its {} assignment: {}", outageId, assignment.server(),
                    assignment.direction(), result.detail());
        }
        service.done(execution, outageId);
        execution.setVariable(variable, result.outcome() + ": " + result.detail());
    }

    /** Whether a failure now leads to another try (the job's retries count down to 1 on its last try). */
    private static boolean engineTriesAgain() {
        JobEntity job = Context.getCommandContext() == null ? null : Context.getCommandContext().getCurrentJob();
        return job != null && job.getRetries() > 1;
    }
}

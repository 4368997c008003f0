package dev.sco.orchestrator.dbfailover;

import java.util.List;

import dev.sco.orchestrator.platform.http.OutsideTransaction;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The callouts after a repoint, in a step of their own: the repoint's bindings have committed
 * before any consumer is called (a consumer that reconnects at once reads its new binding), and the
 * calls run with the engine's transaction suspended, before the step writes its ledger row (so
 * that transaction has read but locked nothing while a receiver answers). While the engine will try the step again, a
 * consumer not told fails the step; on the last try the step goes on and names them, because a
 * consumer whose endpoint is down must not stop the failover: verification shows whether it
 * moved, and operators are asked to move those that did not.
 */
@Component("reconnectConsumersDelegate")
class ReconnectConsumersDelegate implements JavaDelegate {

    static final String VAR_NOT_TOLD = "consumersNotToldToReconnect";

    private static final Logger log = LoggerFactory.getLogger(ReconnectConsumersDelegate.class);

    private final OperationGuard guard;
    private final FailoverRepository repository;
    private final ReconnectCallouts callouts;
    private final OutsideTransaction outside;

    ReconnectConsumersDelegate(OperationGuard guard, FailoverRepository repository, ReconnectCallouts callouts,
                               OutsideTransaction outside) {
        this.guard = guard;
        this.repository = repository;
        this.callouts = callouts;
        this.outside = outside;
    }

    @Override
    public void execute(DelegateExecution execution) {
        ContinuityOperation op = guard.check(execution);
        List<FailoverRepository.Callout> targets = repository.reconnectCallouts(repository.consumersOf(op.to()));
        List<String> notTold = outside.call(() -> callouts.send(op, targets));
        if (!notTold.isEmpty() && engineTriesAgain()) {
            throw new IllegalStateException("Consumers not told to reconnect to " + op.to() + ": " + notTold
                    + "; the engine tries this step again");
        }
        if (!notTold.isEmpty()) {
            log.warn("Operation {}: consumers {} were not told to reconnect; verification shows whether they moved",
                    op.id(), notTold);
        }
        guard.record(execution, op);
        execution.setVariable(VAR_NOT_TOLD, String.join(", ", notTold));
    }

    /**
     * Whether a failure now leads to another try: the job's retries count down to 1 on its last
     * try. Outside a job (never in the models, where the step is asynchronous) there is no retry.
     */
    private static boolean engineTriesAgain() {
        JobEntity job = Context.getCommandContext() == null ? null : Context.getCommandContext().getCurrentJob();
        return job != null && job.getRetries() > 1;
    }
}

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
 * <p>
 * When the old primary's fence waits for its writers ({@link FencingMethods}), the consumers'
 * answers decide it here: every consumer confirmed, or the process asks a DBA to acknowledge
 * (variable {@code writersUnconfirmed}) before anything is verified or promoted.
 */
@Component("reconnectConsumersDelegate")
class ReconnectConsumersDelegate implements JavaDelegate {

    static final String VAR_NOT_TOLD = "consumersNotToldToReconnect";

    private static final Logger log = LoggerFactory.getLogger(ReconnectConsumersDelegate.class);

    private final OperationGuard guard;
    private final FailoverRepository repository;
    private final ReconnectCallouts callouts;
    private final OutsideTransaction outside;
    private final FencingMethodRepository fencing;
    private final FencingMethods methods;

    ReconnectConsumersDelegate(OperationGuard guard, FailoverRepository repository, ReconnectCallouts callouts,
                               OutsideTransaction outside, FencingMethodRepository fencing, FencingMethods methods) {
        this.fencing = fencing;
        this.methods = methods;
        this.guard = guard;
        this.repository = repository;
        this.callouts = callouts;
        this.outside = outside;
    }

    @Override
    public void execute(DelegateExecution execution) {
        ContinuityOperation op = guard.check(execution);
        List<FailoverRepository.Callout> targets = repository.reconnectCallouts(repository.consumersOf(op.to()));
        List<ReconnectCallouts.Reply> replies = outside.call(() -> callouts.call(op, targets));
        List<String> notTold = replies.stream().filter(r -> !r.told()).map(ReconnectCallouts.Reply::consumer).toList();
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
        // A failover whose old primary only the writers can fence: their answers are the fence.
        boolean unconfirmed = false;
        if ("failover".equals(op.kind()) && fencing.fenceState(op.id()).writersPending()) {
            FencingMethods.Result writers = methods.confirmWriters(op, repository.consumersOf(op.to()), replies);
            unconfirmed = !writers.fenced();
            execution.setVariable(DatabaseFailoverProcess.VAR_FENCED, writers.fenced());
            execution.setVariable(DatabaseFailoverProcess.VAR_FENCE_DETAIL, writers.detail());
        }
        execution.setVariable(DatabaseFailoverProcess.VAR_WRITERS_UNCONFIRMED, unconfirmed);
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

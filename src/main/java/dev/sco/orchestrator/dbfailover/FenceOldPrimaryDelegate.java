package dev.sco.orchestrator.dbfailover;

import dev.sco.orchestrator.platform.http.OutsideTransaction;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Fences the old primary through its registered methods ({@link FencingMethods}). The methods run
 * with the engine's transaction suspended (an agent is an HTTP call; each attempt is written on its
 * own), then the step's ledger row and the outcome are written in the engine's transaction.
 */
@Component("fenceOldPrimaryDelegate")
class FenceOldPrimaryDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final FencingMethods methods;
    private final FencingMethodRepository repository;
    private final OutsideTransaction outside;

    FenceOldPrimaryDelegate(OperationGuard guard, FencingMethods methods, FencingMethodRepository repository,
                            OutsideTransaction outside) {
        this.guard = guard;
        this.methods = methods;
        this.repository = repository;
        this.outside = outside;
    }

    @Override
    public void execute(DelegateExecution execution) {
        ContinuityOperation op = guard.check(execution);
        FencingMethods.Result result = outside.call(() -> methods.fence(op));
        guard.record(execution, op);
        repository.recordFence(op.id(), result.fenced(), result.fencedBy(), result.writersPending(), result.detail());
        execution.setVariable(DatabaseFailoverProcess.VAR_FENCED, result.fenced());
        execution.setVariable(DatabaseFailoverProcess.VAR_WRITERS_PENDING, result.writersPending());
        execution.setVariable(DatabaseFailoverProcess.VAR_FENCE_DETAIL, result.detail());
    }
}

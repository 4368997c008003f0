package dev.sco.orchestrator.dbfailover;

import dev.sco.orchestrator.platform.http.OutsideTransaction;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Lets the repaired primary take writes again: first the undo of the method that fenced it (an
 * agent's unfence, called with the engine's transaction suspended), then the SQL unfence as before.
 */
@Component("unfencePrimaryDelegate")
class UnfencePrimaryDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final RestorationService service;
    private final FencingMethods methods;
    private final OutsideTransaction outside;

    UnfencePrimaryDelegate(RestorationService service, OperationGuard guard, FencingMethods methods,
                           OutsideTransaction outside) {
        this.guard = guard;
        this.service = service;
        this.methods = methods;
        this.outside = outside;
    }

    @Override
    public void execute(DelegateExecution execution) {
        ContinuityOperation op = guard.check(execution);
        long failover = service.restoredFailover(op.id());
        outside.call(() -> {
            methods.unfenceByMethod(failover, op.id(), op.kind(), op.database());
            return null;
        });
        guard.record(execution, op);
        service.unfencePrimary(op.id());
        methods.recordSqlUnfence(op.id(), op.database(), "sql: read-only default reset and CONNECT granted back as "
                + "the fence of operation " + failover + " recorded (its unfence_detail)");
    }
}

package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Lets the repaired primary take writes again. */
@Component("unfencePrimaryDelegate")
class UnfencePrimaryDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final RestorationService service;

    UnfencePrimaryDelegate(RestorationService service, OperationGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        service.unfencePrimary(guard.begin(execution).id());
    }
}

package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component("repointConsumersDelegate")
class RepointConsumersDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final FailoverService service;

    RepointConsumersDelegate(FailoverService service, OperationGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        execution.setVariable("consumers", String.join(", ", service.repoint(guard.begin(execution).id())));
    }
}

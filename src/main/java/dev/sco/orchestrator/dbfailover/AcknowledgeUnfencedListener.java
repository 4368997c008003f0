package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/** Keeps which DBA (the authenticated user) took responsibility for an old primary that could not be fenced. */
@Component("acknowledgeUnfencedListener")
class AcknowledgeUnfencedListener implements TaskListener {

    private final FailoverService service;
    private final OperationGuard guard;

    AcknowledgeUnfencedListener(FailoverService service, OperationGuard guard) {
        this.service = service;
        this.guard = guard;
    }

    @Override
    public void notify(DelegateTask task) {
        boolean acknowledged = Boolean.TRUE.equals(task.getVariable("acknowledged"));
        OperationGuard.Decision decision = guard.decide(task, "failover", acknowledged ? "acknowledged" : "not acknowledged");
        // Without the tick nothing is recorded: the next steps find the fence unsettled and refuse to act.
        if (acknowledged) {
            service.acknowledgeUnfenced(decision.operation().id(), decision.user());
        }
    }
}

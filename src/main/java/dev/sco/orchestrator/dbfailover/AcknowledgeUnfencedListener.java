package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/** Keeps which DBA took responsibility for an old primary that could not be fenced. */
@Component("acknowledgeUnfencedListener")
class AcknowledgeUnfencedListener implements TaskListener {

    private final FailoverService service;

    AcknowledgeUnfencedListener(FailoverService service) {
        this.service = service;
    }

    @Override
    public void notify(DelegateTask task) {
        service.acknowledgeUnfenced(FailoverVariables.operationId(task), FailoverVariables.completedBy(task));
    }
}

package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Keeps a copy of the failover database's tables before the copy back. */
@Component("backupFailoverDatabaseDelegate")
class BackupFailoverDatabaseDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final RestorationService service;

    BackupFailoverDatabaseDelegate(RestorationService service, OperationGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        service.backupFailover(guard.begin(execution).id());
    }
}

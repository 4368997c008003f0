package dev.sco.orchestrator.sync;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Copies every table of the pair whole. Safe to run again: each table is replaced in one target
 * transaction, so a retry after a crash or a lost job lock copies the same rows once more.
 */
@Component("fullResyncDelegate")
class FullResyncDelegate implements JavaDelegate {

    private final SyncService service;
    private final SyncRepository repository;

    FullResyncDelegate(SyncService service, SyncRepository repository) {
        this.service = service;
        this.repository = repository;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String database = (String) execution.getVariable(SyncRecoveryProcess.VAR_DATABASE);
        SyncService.Outcome outcome = service.runFull(database, "process " + execution.getProcessInstanceId());
        long rows = repository.runs(database, 20).stream().filter(r -> r.id() == outcome.runId()).findFirst()
                .map(r -> r.tasks().stream().mapToLong(SyncRepository.Task::rowsCopied).sum()).orElse(0L);
        execution.setVariable(SyncRecoveryProcess.VAR_RESYNC_RUN, outcome.runId());
        execution.setVariable(SyncRecoveryProcess.VAR_RESYNC_ROWS, rows);
    }
}

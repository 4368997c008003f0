package dev.sco.orchestrator.sync;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Copies every table of the pair whole. Safe to run again: each table is replaced in one target
 * transaction, so a retry after a crash or a lost job lock copies the same rows once more.
 */
@Component("fullResyncDelegate")
class FullResyncDelegate implements JavaDelegate {

    private static final Logger log = LoggerFactory.getLogger(FullResyncDelegate.class);

    private final SyncService service;
    private final SyncRepository repository;
    private final SyncRecoveryGuard guard;

    FullResyncDelegate(SyncService service, SyncRepository repository, SyncRecoveryGuard guard) {
        this.guard = guard;
        this.service = service;
        this.repository = repository;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String database = guard.beginFullResync(execution);
        String processInstanceId = execution.getProcessInstanceId();
        SyncService.Outcome outcome = service.runFull(database, "process " + processInstanceId,
                rows -> reportProgress(execution, processInstanceId, rows));
        long rows = repository.runs(database, 20).stream().filter(r -> r.id() == outcome.runId()).findFirst()
                .map(r -> r.tasks().stream().mapToLong(SyncRepository.Task::rowsCopied).sum()).orElse(0L);
        execution.setVariable(SyncRecoveryProcess.VAR_RESYNC_RUN, outcome.runId());
        execution.setVariable(SyncRecoveryProcess.VAR_RESYNC_ROWS, rows);
    }

    /**
     * A variable set in this job's own transaction would show only at its end; progress is written
     * in a transaction of its own (the engine's requires-new executor) so Cockpit shows it while the
     * copy runs. The job never writes this variable itself, so the two transactions cannot conflict.
     */
    private static void reportProgress(DelegateExecution execution, String processInstanceId, long rows) {
        ProcessEngineConfigurationImpl engine =
                (ProcessEngineConfigurationImpl) execution.getProcessEngine().getProcessEngineConfiguration();
        try {
            engine.getCommandExecutorTxRequiresNew().execute(context -> {
                engine.getRuntimeService().setVariable(processInstanceId, SyncRecoveryProcess.VAR_RESYNC_ROWS_SO_FAR,
                        rows);
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("Progress of the full resynchronisation ({} rows) not recorded: {}", rows, e.getMessage());
        }
    }
}

package dev.sco.orchestrator.dbfailover;

import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Backs up the failover database before it is copied back: a long step (external task
 * {@value #TOPIC}) whose lock the worker extends while the backup runs, so it runs on one node at
 * a time however long the tables take. Safe to run again: the backup replaces its own copy.
 */
@Component
class BackupStep extends OperationLongStep {

    static final String TOPIC = "backup";

    private final RestorationService service;

    BackupStep(OperationGuard guard, RestorationService service) {
        super(guard, TOPIC);
        this.service = service;
    }

    @Override
    Map<String, Object> work(ContinuityOperation op) {
        service.backupFailover(op.id());
        return Map.of();
    }
}

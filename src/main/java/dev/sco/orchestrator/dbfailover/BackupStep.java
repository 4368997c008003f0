package dev.sco.orchestrator.dbfailover;

import java.util.Map;

import dev.sco.orchestrator.platform.longstep.LongStep;
import dev.sco.orchestrator.platform.longstep.LongStepTask;
import org.springframework.stereotype.Component;

/**
 * Backs up the failover database before it is copied back: a long step (external task
 * {@value #TOPIC}) whose lock the worker extends while the backup runs, so it runs on one node at
 * a time however long the tables take. Safe to run again: the backup replaces its own copy.
 */
@Component
class BackupStep implements LongStep {

    static final String TOPIC = "backup";

    private final OperationGuard guard;
    private final RestorationService service;

    BackupStep(OperationGuard guard, RestorationService service) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public String topic() {
        return TOPIC;
    }

    @Override
    public void check(LongStepTask task) {
        operation(task);
    }

    @Override
    public Map<String, Object> run(LongStepTask task) {
        service.backupFailover(operation(task).id());
        return Map.of();
    }

    @Override
    public void completed(LongStepTask task) {
        guard.record(task.processInstanceId(), task.activityId(), operation(task));
    }

    private ContinuityOperation operation(LongStepTask task) {
        return guard.check(task.processInstanceId(), task.activityId(),
                task.variable(DatabaseFailoverProcess.VAR_OPERATION_ID));
    }
}

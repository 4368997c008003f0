package dev.sco.orchestrator.dbfailover;

import java.time.Duration;
import java.util.Map;

import dev.sco.orchestrator.platform.longstep.LongStep;
import dev.sco.orchestrator.platform.longstep.LongStepTask;
import org.springframework.stereotype.Component;

/**
 * Stops the pair's sync for a failover: a long step (external task {@value #TOPIC}) because a
 * planned failover first runs one last sync, which copies as long as the tables need. The worker
 * extends the task's lock meanwhile, so the step runs on one node at a time. Safe to run again:
 * stopping is idempotent and a repeated final sync copies only what is left. A run still going on
 * another node is never waited for inside the step: the step fails and tries again later.
 */
@Component
class StopSyncStep implements LongStep {

    static final String TOPIC = "stop-sync";

    private final OperationGuard guard;
    private final FailoverService service;

    StopSyncStep(OperationGuard guard, FailoverService service) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public String topic() {
        return TOPIC;
    }

    /** A run of the pair still copying elsewhere: up to ten minutes, looked at every 30 seconds. */
    @Override
    public int tries() {
        return 20;
    }

    @Override
    public Duration retryAfter() {
        return Duration.ofSeconds(30);
    }

    @Override
    public void check(LongStepTask task) {
        operation(task);
    }

    @Override
    public Map<String, Object> run(LongStepTask task) {
        service.stopSync(operation(task).id());
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

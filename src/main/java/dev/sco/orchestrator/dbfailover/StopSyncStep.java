package dev.sco.orchestrator.dbfailover;

import java.time.Duration;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Stops the pair's sync for a failover: a long step (external task {@value #TOPIC}) because a
 * planned failover first runs one last sync, which copies as long as the tables need. The worker
 * extends the task's lock meanwhile, so the step runs on one node at a time. Safe to run again:
 * stopping is idempotent and a repeated final sync copies only what is left. A run still going on
 * another node is never waited for inside the step: the step fails and tries again later.
 */
@Component
class StopSyncStep extends OperationLongStep {

    static final String TOPIC = "stop-sync";

    private final FailoverService service;

    StopSyncStep(OperationGuard guard, FailoverService service) {
        super(guard, TOPIC);
        this.service = service;
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
    Map<String, Object> work(ContinuityOperation op) {
        service.stopSync(op.id());
        return Map.of();
    }
}

package dev.sco.orchestrator.platform.decision;

import java.time.Instant;

/**
 * One decision of a sensor about one subject (a server, a database, a hub pair).
 *
 * @param action  what the sensor did: {@link #STARTED} a process, {@link #CORRELATED} a message,
 *                {@link #SKIPPED} (decided to do nothing, with the reason), or {@link #FAILED}
 * @param reason  why, in words an operator understands ("within grace", "cool-down until ...")
 */
public record SensorDecision(
        long id,
        String sensor,
        String subject,
        String action,
        String reason,
        Instant decidedAt,
        String node,
        String businessKey,
        String processInstanceId) {

    public static final String STARTED = "started";
    public static final String CORRELATED = "correlated";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";
}

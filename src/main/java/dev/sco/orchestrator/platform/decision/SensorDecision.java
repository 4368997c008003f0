package dev.sco.orchestrator.platform.decision;

import java.time.Instant;

/**
 * One decision of a sensor about one subject (a server, a database, a hub pair).
 *
 * @param action  what the sensor did: {@link #STARTED} a process, {@link #CORRELATED} a message,
 *                {@link #SKIPPED} (decided to do nothing, with the reason), {@link #PAUSED} (the subject
 *                is held by a maintenance pause or its pending review: no action), or {@link #FAILED}
 * @param reason  why, in words an operator understands ("within grace", "cool-down until ...")
 * @param decidedAt     when the sensor first took this decision
 * @param lastDecidedAt when it last took it again (the same action and reason, nothing else in between)
 * @param count         how many times it took it: repeats coalesce into one record
 * @param node          the node that first took it; {@code lastNode} the one that last did
 */
public record SensorDecision(
        long id,
        String sensor,
        String subject,
        String action,
        String reason,
        Instant decidedAt,
        Instant lastDecidedAt,
        int count,
        String node,
        String lastNode,
        String businessKey,
        String processInstanceId) {

    public static final String STARTED = "started";
    public static final String CORRELATED = "correlated";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";
    public static final String PAUSED = "paused";
}

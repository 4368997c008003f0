package dev.sco.orchestrator.pause;

import java.time.Instant;

/**
 * A maintenance pause as the API shows it.
 *
 * @param state       {@code active} (the sensors hold off), {@code awaiting-review} (ended while the
 *                    target was unhealthy: the sensors hold off until an operator completes the
 *                    review task) or {@code ended}
 * @param endKind     {@code expired} (ended by the watchdog at or after {@code until}) or
 *                    {@code ended-early} (by {@code endedBy} through the API)
 * @param healthAtEnd what the sensors knew about the target when the pause ended
 * @param reviewState {@code pending}, {@code done} or {@code cancelled}; null when no review was needed
 */
public record Pause(
        long id,
        Target target,
        String reason,
        String pausedBy,
        Instant pausedAt,
        Instant until,
        String state,
        Instant endedAt,
        String endedBy,
        String endKind,
        String healthAtEnd,
        Boolean unhealthyAtEnd,
        String reviewState,
        String reviewProcessInstanceId,
        String reviewedBy,
        Instant reviewedAt,
        String reviewNote) {

    public static final String ACTIVE = "active";
    public static final String AWAITING_REVIEW = "awaiting-review";
    public static final String ENDED = "ended";

    public static final String EXPIRED = "expired";
    public static final String ENDED_EARLY = "ended-early";

    /** What is paused. */
    public record Target(TargetKind kind, String name) {
    }
}

package dev.sco.orchestrator.platform.longstep;

import java.time.Duration;

/**
 * Thrown by a long step that may not start yet (a full copy that would run into the maintenance
 * window): the worker gives the task back to be fetched again after {@code retryAfter}, without
 * spending one of its tries, and the reason stays on the task (its error message, in Cockpit).
 */
public class LongStepDeferred extends RuntimeException {

    private final Duration retryAfter;

    public LongStepDeferred(String reason, Duration retryAfter) {
        super(reason);
        this.retryAfter = retryAfter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}

package dev.sco.orchestrator.estate;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonValue;

/** A server's status, always derived from its last ping, never stored. */
public enum ServerStatus {
    UP("Up"),
    DOWN("Down");

    private final String value;

    ServerStatus(String value) {
        this.value = value;
    }

    /**
     * Down when the server never pinged or its last ping is older than its unresponsive period;
     * a ping exactly one period old still counts as Up.
     */
    public static ServerStatus derive(Instant lastPingAt, int unresponsivePeriodSeconds, Instant now) {
        if (lastPingAt == null) {
            return DOWN;
        }
        return Duration.between(lastPingAt, now).compareTo(Duration.ofSeconds(unresponsivePeriodSeconds)) > 0
                ? DOWN : UP;
    }

    @JsonValue
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}

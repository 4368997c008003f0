package dev.sco.orchestrator.estate;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a monitored server does; management servers are the consumers of the databases. */
public enum ServerKind {
    MANAGEMENT("management"),
    COLLECTOR("collector"),
    GATEWAY("gateway"),
    TOP_TIER("top-tier");

    private final String value;

    ServerKind(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    static ServerKind of(String value) {
        for (ServerKind kind : values()) {
            if (kind.value.equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown server kind " + value);
    }

    @Override
    public String toString() {
        return value;
    }
}

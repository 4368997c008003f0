package dev.sco.orchestrator.estate;

import com.fasterxml.jackson.annotation.JsonValue;

/** Status of an agent as reported to the orchestrator. */
public enum AgentStatus {
    UP("Up"),
    DOWN("Down");

    private final String value;

    AgentStatus(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    static AgentStatus of(String value) {
        for (AgentStatus status : values()) {
            if (status.value.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown agent status " + value);
    }

    @Override
    public String toString() {
        return value;
    }
}

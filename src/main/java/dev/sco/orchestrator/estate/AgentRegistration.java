package dev.sco.orchestrator.estate;

import com.fasterxml.jackson.annotation.JsonValue;

/** How an agent was registered: only automatically registered agents can be moved automatically. */
public enum AgentRegistration {
    AUTOMATIC("automatic"),
    MANUAL("manual");

    private final String value;

    AgentRegistration(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    static AgentRegistration of(String value) {
        for (AgentRegistration registration : values()) {
            if (registration.value.equals(value)) {
                return registration;
            }
        }
        throw new IllegalArgumentException("Unknown agent registration " + value);
    }

    @Override
    public String toString() {
        return value;
    }
}

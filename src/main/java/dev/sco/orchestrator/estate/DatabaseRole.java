package dev.sco.orchestrator.estate;

import com.fasterxml.jackson.annotation.JsonValue;

/** Role of a database endpoint: the one the consumers write to, or its synchronised stand-in. */
public enum DatabaseRole {
    PRIMARY("primary"),
    FAILOVER("failover");

    private final String value;

    DatabaseRole(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public DatabaseRole other() {
        return this == PRIMARY ? FAILOVER : PRIMARY;
    }

    static DatabaseRole of(String value) {
        for (DatabaseRole role : values()) {
            if (role.value.equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("Unknown database role " + value);
    }

    @Override
    public String toString() {
        return value;
    }
}

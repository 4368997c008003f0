package dev.sco.orchestrator.pause;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a pause holds the sensors off: a target database, a server, or a hub pair. */
public enum TargetKind {
    /** The database health probe (a primary's failover; a paused failover database holds its primary's too). */
    DATABASE("database"),
    /** The heartbeat failure detector (a paused standby holds the failover of the servers it stands in for). */
    SERVER("server"),
    /** The hub standby watch (promotion of the standby). */
    HUB_PAIR("hub-pair");

    private final String code;

    TargetKind(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    public static Optional<TargetKind> of(String code) {
        return Arrays.stream(values()).filter(kind -> kind.code.equals(code)).findFirst();
    }

    @Override
    public String toString() {
        return code;
    }
}

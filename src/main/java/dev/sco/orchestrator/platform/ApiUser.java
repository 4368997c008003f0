package dev.sco.orchestrator.platform;

import java.util.List;

/** The authenticated caller of the orchestrator API: recorded with every operation it asks for. */
public record ApiUser(String id, List<String> groups) {

    /** In {@link Groups#HEARTBEAT_SENDERS} and no other group: may send heartbeats and nothing else. */
    public boolean heartbeatSenderOnly() {
        return !groups.isEmpty() && groups.stream().allMatch(Groups.HEARTBEAT_SENDERS::equals);
    }

    public boolean memberOf(String group) {
        return groups.contains(group) || groups.contains(Groups.ADMIN);
    }
}

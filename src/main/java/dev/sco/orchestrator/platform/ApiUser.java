package dev.sco.orchestrator.platform;

import java.util.List;

/** The authenticated caller of the orchestrator API: recorded with every operation it asks for. */
public record ApiUser(String id, List<String> groups) {

    public boolean memberOf(String group) {
        return groups.contains(group) || groups.contains(Groups.ADMIN);
    }
}

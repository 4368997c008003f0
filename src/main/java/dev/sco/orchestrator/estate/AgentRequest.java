package dev.sco.orchestrator.estate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;

/** Body of {@code PUT /api/agents/{name}}; a missing chain means an empty one. */
record AgentRequest(String instance, String user, AgentStatus status, AgentRegistration registration,
                    String managedBy, List<String> chain) {

    static final int MAX_CHAIN = 32;

    void validate() {
        Inputs.name("instance", instance);
        Inputs.text("user", user, 128);
        Inputs.required("status", status);
        Inputs.required("registration", registration);
        Inputs.optionalName("managedBy", managedBy);
        List<String> servers = chainOrEmpty();
        if (servers.size() > MAX_CHAIN) {
            throw new BadRequest("chain", "'chain' holds at most " + MAX_CHAIN + " servers");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < servers.size(); i++) {
            String field = "chain[" + i + "]";
            Inputs.name(field, servers.get(i));
            Integer first = seen.putIfAbsent(servers.get(i), i);
            if (first != null) {
                throw new BadRequest(field, "'" + field + "' repeats " + servers.get(i) + " (already chain[" + first
                        + "]): a chain names each server once");
            }
        }
    }

    List<String> chainOrEmpty() {
        return chain == null ? List.of() : chain;
    }
}

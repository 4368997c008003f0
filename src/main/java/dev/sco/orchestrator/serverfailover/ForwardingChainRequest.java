package dev.sco.orchestrator.serverfailover;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;

/** Body of {@code PUT /api/servers/{name}/forwarding-chain}: the targets in order, first preferred. */
record ForwardingChainRequest(List<String> targets) {

    static final int MAX_TARGETS = 32;

    /** Checks that need no database: names, length, the server itself, repeats. */
    List<String> validate(String server) {
        Inputs.required("targets", targets);
        if (targets.size() > MAX_TARGETS) {
            throw new BadRequest("targets", "'targets' holds at most " + MAX_TARGETS + " servers");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            String field = "targets[" + i + "]";
            String target = Inputs.name(field, targets.get(i));
            if (target.equals(server)) {
                throw new BadRequest(field, "'" + field + "' is the server itself: a server cannot forward to itself");
            }
            Integer first = seen.putIfAbsent(target, i);
            if (first != null) {
                throw new BadRequest(field, "'" + field + "' repeats " + target + " (already targets[" + first
                        + "]): a chain names each server once");
            }
        }
        return List.copyOf(targets);
    }
}

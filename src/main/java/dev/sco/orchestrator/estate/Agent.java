package dev.sco.orchestrator.estate;

import java.time.Instant;
import java.util.List;

/**
 * An agent (MID server) of an instance. {@code chain} is its ordered failover chain of servers,
 * position 0 first; {@code statusChangedAt} is when the status last changed, not last reported.
 */
public record Agent(
        String name,
        String instance,
        String user,
        AgentStatus status,
        Instant statusChangedAt,
        AgentRegistration registration,
        String managedBy,
        List<String> chain,
        Instant createdAt,
        Instant updatedAt) {
}

package dev.sco.orchestrator.estate;

import java.time.Instant;

/**
 * Result of reporting an agent's status: {@code changed} is false when it already had that
 * status; {@code statusChangedAt} is when the current status began.
 */
public record AgentStatusTransition(
        String agent,
        AgentStatus previous,
        AgentStatus status,
        boolean changed,
        Instant statusChangedAt) {
}

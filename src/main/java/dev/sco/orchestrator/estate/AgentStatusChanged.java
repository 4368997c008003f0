package dev.sco.orchestrator.estate;

import java.time.Instant;

/**
 * Published by {@link AgentStatusService} inside the transaction that changed the status, after
 * the change is written and only when the status really changed. Listen with
 * {@code @TransactionalEventListener(phase = BEFORE_COMMIT)} (or a plain {@code @EventListener})
 * to make a consequence part of the same transaction, or {@code AFTER_COMMIT} for side effects
 * that must only follow a committed change.
 */
public record AgentStatusChanged(String agent, AgentStatus previous, AgentStatus current, Instant at) {
}

package dev.sco.orchestrator.estate;

import java.time.Instant;

/**
 * A hot-standby hub pair. {@code primary}/{@code secondary} are configuration;
 * {@code acting}/{@code standby} are operation (null until a hub has sent a heartbeat).
 * A hub silent for longer than {@code heartbeatTimeoutSeconds} counts as lost.
 */
public record HubPair(
        String name,
        String primary,
        String secondary,
        String acting,
        String standby,
        Instant primaryLastHeartbeat,
        Instant secondaryLastHeartbeat,
        int heartbeatTimeoutSeconds,
        Instant createdAt,
        Instant updatedAt) {
}

package dev.sco.orchestrator.estate;

import java.time.Instant;

/** A server of the monitored estate with its derived status (see {@link ServerStatus#derive}). */
public record Server(
        String name,
        ServerKind kind,
        String site,
        String standby,
        int unresponsivePeriodSeconds,
        Instant lastPingAt,
        ServerStatus status,
        Instant createdAt,
        Instant updatedAt) {
}

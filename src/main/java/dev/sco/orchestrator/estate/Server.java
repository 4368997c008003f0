package dev.sco.orchestrator.estate;

import java.time.Instant;

/**
 * A server of the monitored estate with its derived status (see {@link ServerStatus#derive}) and
 * where the orchestrator calls it: {@code reconnectUrl} as a consumer of a database,
 * {@code assignmentUrl} as a management server taking over or getting back sites and jobs, both
 * with {@code calloutAuth} (null: calls carry no credentials).
 */
public record Server(
        String name,
        ServerKind kind,
        String site,
        String standby,
        int unresponsivePeriodSeconds,
        Instant lastPingAt,
        ServerStatus status,
        Instant createdAt,
        Instant updatedAt,
        String reconnectUrl,
        String assignmentUrl,
        CalloutAuth calloutAuth) {
}

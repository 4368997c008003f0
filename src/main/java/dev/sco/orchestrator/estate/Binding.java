package dev.sco.orchestrator.estate;

import java.time.Instant;

/** Which database a consumer (a management server) uses now. */
public record Binding(String consumer, String database, Instant updatedAt) {
}

package dev.sco.orchestrator.estate;

import java.time.OffsetDateTime;

/** One entry of {@code POST /api/heartbeats}; {@code at} defaults to the time of receipt. */
record HeartbeatRequest(String server, OffsetDateTime at) {
}

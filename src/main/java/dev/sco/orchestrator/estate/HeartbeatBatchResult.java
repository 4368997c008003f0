package dev.sco.orchestrator.estate;

import java.util.List;

/** Answer to a heartbeat batch: entries recorded, and the names that are no registered server. */
record HeartbeatBatchResult(int accepted, List<String> unknown) {
}

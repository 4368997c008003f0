package dev.sco.orchestrator.platform.target;

import java.time.Duration;

/** Outcome of one reachability check of a target database on a fresh connection. */
public record ProbeResult(String database, boolean reachable, String serverVersion, boolean inRecovery,
                          boolean readOnly, Duration latency, String error) {
}

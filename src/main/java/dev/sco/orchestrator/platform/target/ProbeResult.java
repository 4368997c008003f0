package dev.sco.orchestrator.platform.target;

import java.time.Duration;

/**
 * Outcome of one reachability check of a target database on a fresh connection.
 *
 * @param classification what the failure means for failover decisions (see {@link ProbeClassification})
 */
public record ProbeResult(String database, boolean reachable, String serverVersion, boolean inRecovery,
                          boolean readOnly, Duration latency, String error, ProbeClassification classification) {

    /** A result whose failure, if any, is taken as unreachable (callers that do not classify). */
    public ProbeResult(String database, boolean reachable, String serverVersion, boolean inRecovery,
                       boolean readOnly, Duration latency, String error) {
        this(database, reachable, serverVersion, inRecovery, readOnly, latency, error,
                reachable ? ProbeClassification.REACHABLE : ProbeClassification.UNREACHABLE);
    }
}

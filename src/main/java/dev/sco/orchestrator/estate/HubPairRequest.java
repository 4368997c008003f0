package dev.sco.orchestrator.estate;

import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;

/**
 * Body of {@code PUT /api/hubs/{pair}}. {@code heartbeatTimeoutSeconds} (optional, default
 * {@value #DEFAULT_HEARTBEAT_TIMEOUT_SECONDS}): how long a hub may stay silent before it counts as lost.
 */
record HubPairRequest(String primary, String secondary, Integer heartbeatTimeoutSeconds) {

    static final int DEFAULT_HEARTBEAT_TIMEOUT_SECONDS = 15;

    int timeoutSeconds() {
        return heartbeatTimeoutSeconds == null ? DEFAULT_HEARTBEAT_TIMEOUT_SECONDS : heartbeatTimeoutSeconds;
    }

    void validate() {
        Inputs.name("primary", primary);
        Inputs.name("secondary", secondary);
        if (primary.equals(secondary)) {
            throw new BadRequest("secondary", "'secondary' must differ from 'primary'");
        }
        if (heartbeatTimeoutSeconds != null) {
            Inputs.range("heartbeatTimeoutSeconds", heartbeatTimeoutSeconds, 1, 3600);
        }
    }
}

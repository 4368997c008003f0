package dev.sco.orchestrator.serverfailover;

import java.time.Instant;

/** One outage of a server that the detector (or an operator) acted on; see {@code server_outage}. */
record Outage(long id, String server, Instant outageStart, Instant lastPingAt, Instant detectedAt, String standby,
              String state, int sessionsClosed, String processInstanceId, Instant backOnlineAt, Instant endedAt) {

    static final String FAILING_OVER = "failing-over";
    static final String AWAITING_RETURN = "awaiting-return";
    static final String BACK_ONLINE = "back-online";
    static final String FAILED_BACK = "failed-back";
    static final String KEPT_ON_STANDBY = "kept-on-standby";
    static final String NO_STANDBY = "no-standby";
}

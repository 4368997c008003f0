package dev.sco.orchestrator.serverfailover;

import java.time.Instant;

/**
 * A server that is Down and whose current outage has no failover yet, with what the detector
 * needs to decide about it.
 *
 * @param outageStart     last ping plus the server's unresponsive period
 * @param openOutageId    an earlier outage of this server whose failover has not ended, or null
 * @param lastFailoverAt  when the detector last acted on an outage of this server, or null
 */
record DownServer(String server, String standby, Instant lastPingAt, Instant outageStart,
                  Long openOutageId, String openOutageState, String openProcessInstanceId,
                  Instant lastFailoverAt) {

    String businessKey() {
        return ServerFailoverProcess.businessKey(server, outageStart);
    }
}

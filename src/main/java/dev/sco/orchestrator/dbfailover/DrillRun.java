package dev.sco.orchestrator.dbfailover;

import java.time.Instant;
import java.util.List;

/**
 * The evidence of one drill, as the API answers it ({@code GET /api/drills}): what was checked,
 * how long it took, what a real failover would have fenced and moved, the estimated time to
 * repair, and the problems found (empty: the pair could fail over now). Fields are null until the
 * drill's checks ran ({@code checkedAt}).
 */
public record DrillRun(long operationId, String database, String failoverDatabase, boolean scheduled,
                       String state, String processInstanceId, Instant requestedAt, Instant checkedAt,
                       Boolean primaryReachable, Boolean failoverReachable, Boolean preFlightOk, Long preFlightMs,
                       Long checksMs, Long estimatedRtoMs, String wouldFence, String fencingMethods,
                       List<String> consumersToMove, List<String> consumersOnPrimary, List<String> problems) {
}

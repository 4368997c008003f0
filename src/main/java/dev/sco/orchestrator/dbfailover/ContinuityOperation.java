package dev.sco.orchestrator.dbfailover;

import java.time.Instant;
import java.util.List;

/** A failover, drill or restoration, with what the report shows of it. */
public record ContinuityOperation(
        long id,
        String kind,
        String mode,
        String database,
        String failoverDatabase,
        String requestedBy,
        String reason,
        String ticket,
        Instant requestedAt,
        String processInstanceId,
        String state,
        Long dataLossWindowMs,
        Instant lastCheckpointAt,
        String approvedBy,
        Instant approvedAt,
        Boolean fenced,
        String fenceDetail,
        Instant verifiedAt,
        List<String> consumersMoved,
        List<String> consumersNotMoved,
        Instant endedAt,
        Long alertsOnFailover,
        String evidence) {

    public static final String REQUESTED = "requested";
    public static final String APPROVED = "approved";
    public static final String DECLINED = "declined";
    public static final String SWITCHING = "switching";
    public static final String FAILED_OVER = "failed-over";
    public static final String INCOMPLETE = "incomplete";
    public static final String DRILLED = "drilled";

    /** The database the consumers leave: the primary for a failover, the failover database for a restoration. */
    public String from() {
        return "restoration".equals(kind) ? failoverDatabase : database;
    }

    /** The database the consumers move to. */
    public String to() {
        return "restoration".equals(kind) ? database : failoverDatabase;
    }

    /** Time to repair: from the request (or detection) to every consumer verified on the new primary. */
    public Long timeToRepairMs() {
        return verifiedAt == null ? null : verifiedAt.toEpochMilli() - requestedAt.toEpochMilli();
    }
}
